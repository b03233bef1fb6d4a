"""Tutoring enrolments and selections; assignment hand-ins and study time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bson import ObjectId
from conftest import GraphQLClient

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

ENROL = """mutation($learner: ID!, $major: ID!) {
  enrolInMajor(input: {learnerId: $learner, majorId: $major}) {
    enrolment { id major { id } } errors { code field } } }"""
SELECT = """mutation($learner: ID!, $course: ID!) {
  selectTutoringCourse(input: {learnerId: $learner, tutoringCourseId: $course}) {
    selection { id course { id } } errors { code field } } }"""
SUBMIT = """mutation($learner: ID!, $assignment: ID!, $content: String!, $key: String) {
  submitAssignment(input: {learnerId: $learner, assignmentId: $assignment, content: $content, idempotencyKey: $key}) {
    submission { id content score history { content } } errors { code field } } }"""
STUDY = """mutation($learner: ID!, $course: ID!, $minutes: Int!, $key: String) {
  recordStudyTime(input: {learnerId: $learner, courseId: $course, minutes: $minutes, idempotencyKey: $key}) {
    record { minutes course { id } } errors { code field } } }"""
PARK_2026 = "{ statistics(year: 2026) { park { submissions { value } videoStudyHours { value } } } }"


class World:
    """A learner, a major with courses and an open assignment, made for one test and removed."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.learner = ObjectId()
        self.assignment = ObjectId()
        self.closed_assignment = ObjectId()

    async def build(self) -> World:
        institution = await self.db[c.INSTITUTIONS].find_one({})
        course = await self.db[c.COURSES].find_one({})
        self.course = course["_id"]
        now = datetime.now(UTC)
        await self.db[c.LEARNERS].insert_one(
            {"_id": self.learner, "institution_id": institution["_id"], "name": "测试", "registered_at": now}
        )
        await self.db[c.ASSIGNMENTS].insert_many(
            [
                {
                    "_id": self.assignment,
                    "course_id": course["_id"],
                    "title": "开放作业",
                    "set_at": now,
                    "due_at": now + timedelta(days=7),
                },
                {
                    "_id": self.closed_assignment,
                    "course_id": course["_id"],
                    "title": "已截止作业",
                    "set_at": now - timedelta(days=9),
                    "due_at": now - timedelta(days=2),
                },
            ]
        )
        self.major = (await self.db[c.MAJORS].find_one({}))["_id"]
        self.other_major = (await self.db[c.MAJORS].find_one({"_id": {"$ne": self.major}}))["_id"]
        self.tutoring_course = (await self.db[c.TUTORING_COURSES].find_one({"major_id": self.major}))["_id"]
        self.foreign_course = (await self.db[c.TUTORING_COURSES].find_one({"major_id": self.other_major}))["_id"]
        return self

    async def remove(self) -> None:
        learner = {"learner_id": self.learner}
        for collection in (c.TUTORING_COURSE_SELECTIONS, c.TUTORING_ENROLMENTS, c.SUBMISSIONS, c.STUDY_RECORDS):
            await self.db[collection].delete_many(learner)
        await self.db[c.ASSIGNMENTS].delete_many({"_id": {"$in": [self.assignment, self.closed_assignment]}})
        await self.db[c.LEARNERS].delete_one({"_id": self.learner})

    def id(self, prefix: IdPrefix, oid: ObjectId) -> str:
        return to_public_id(prefix, oid)


@pytest.fixture
async def world(db: Any) -> AsyncIterator[World]:
    made = await World(db).build()
    try:
        yield made
    finally:
        await made.remove()


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_a_learner_enrols_once_per_major(gql: GraphQLClient, world: World) -> None:
    variables = {"learner": world.id(IdPrefix.LEARNER, world.learner), "major": world.id(IdPrefix.MAJOR, world.major)}
    first = (await gql.data(ENROL, variables))["enrolInMajor"]
    assert first["enrolment"]["major"]["id"] == variables["major"]
    again = (await gql.data(ENROL, variables))["enrolInMajor"]
    assert codes(again) == ["ALREADY_ENROLLED"]


async def test_concurrent_enrolments_make_one(gql: GraphQLClient, world: World, db: Any) -> None:
    variables = {"learner": world.id(IdPrefix.LEARNER, world.learner), "major": world.id(IdPrefix.MAJOR, world.major)}
    payloads = await asyncio.gather(*(gql.data(ENROL, variables) for _ in range(10)))
    made = [p["enrolInMajor"] for p in payloads if p["enrolInMajor"]["enrolment"]]
    assert len(made) == 1
    assert await db[c.TUTORING_ENROLMENTS].count_documents({"learner_id": world.learner}) == 1


async def test_a_course_is_selected_only_under_an_enrolment_and_only_once(gql: GraphQLClient, world: World) -> None:
    learner = world.id(IdPrefix.LEARNER, world.learner)
    course = world.id(IdPrefix.TUTORING_COURSE, world.tutoring_course)
    before = (await gql.data(SELECT, {"learner": learner, "course": course}))["selectTutoringCourse"]
    assert codes(before) == ["NOT_ENROLLED"]
    await gql.data(ENROL, {"learner": learner, "major": world.id(IdPrefix.MAJOR, world.major)})
    selected = (await gql.data(SELECT, {"learner": learner, "course": course}))["selectTutoringCourse"]
    assert selected["selection"]["course"]["id"] == course
    twice = (await gql.data(SELECT, {"learner": learner, "course": course}))["selectTutoringCourse"]
    assert codes(twice) == ["ALREADY_SELECTED"]
    foreign = world.id(IdPrefix.TUTORING_COURSE, world.foreign_course)
    other = (await gql.data(SELECT, {"learner": learner, "course": foreign}))["selectTutoringCourse"]
    assert codes(other) == ["NOT_ENROLLED"]


async def test_a_resubmission_replaces_the_answer_and_keeps_the_history(gql: GraphQLClient, world: World) -> None:
    variables = {
        "learner": world.id(IdPrefix.LEARNER, world.learner),
        "assignment": world.id(IdPrefix.ASSIGNMENT, world.assignment),
    }
    first = (await gql.data(SUBMIT, {**variables, "content": "初稿"}))["submitAssignment"]
    second = (await gql.data(SUBMIT, {**variables, "content": "修改稿"}))["submitAssignment"]
    assert second["submission"]["id"] == first["submission"]["id"]
    assert second["submission"]["content"] == "修改稿"
    assert [v["content"] for v in second["submission"]["history"]] == ["初稿", "修改稿"]


async def test_a_hand_in_after_the_due_date_is_refused(gql: GraphQLClient, world: World) -> None:
    payload = (
        await gql.data(
            SUBMIT,
            {
                "learner": world.id(IdPrefix.LEARNER, world.learner),
                "assignment": world.id(IdPrefix.ASSIGNMENT, world.closed_assignment),
                "content": "迟交",
            },
        )
    )["submitAssignment"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("PAST_DUE", "assignmentId")]


async def test_a_retried_hand_in_counts_once(gql: GraphQLClient, world: World) -> None:
    before = (await gql.data(PARK_2026))["statistics"]["park"]
    variables = {
        "learner": world.id(IdPrefix.LEARNER, world.learner),
        "assignment": world.id(IdPrefix.ASSIGNMENT, world.assignment),
        "content": "答案",
        "key": f"hand-in-{ObjectId()}",
    }
    payloads = await asyncio.gather(*(gql.data(SUBMIT, variables) for _ in range(5)))
    assert len({p["submitAssignment"]["submission"]["id"] for p in payloads}) == 1
    assert len(payloads[0]["submitAssignment"]["submission"]["history"]) == 1
    after = (await gql.data(PARK_2026))["statistics"]["park"]
    assert after["submissions"]["value"] == before["submissions"]["value"] + 1


async def test_study_time_adds_up_and_a_retry_adds_nothing(gql: GraphQLClient, world: World) -> None:
    variables = {
        "learner": world.id(IdPrefix.LEARNER, world.learner),
        "course": world.id(IdPrefix.COURSE, world.course),
    }
    await gql.data(STUDY, {**variables, "minutes": 30})
    key = f"study-{ObjectId()}"
    await gql.data(STUDY, {**variables, "minutes": 45, "key": key})
    retried = (await gql.data(STUDY, {**variables, "minutes": 45, "key": key}))["recordStudyTime"]
    assert retried["record"]["minutes"] == 75


async def test_study_minutes_out_of_range_are_refused(gql: GraphQLClient, world: World) -> None:
    variables = {
        "learner": world.id(IdPrefix.LEARNER, world.learner),
        "course": world.id(IdPrefix.COURSE, world.course),
    }
    payload = (await gql.data(STUDY, {**variables, "minutes": 0}))["recordStudyTime"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("BAD_USER_INPUT", "minutes")]
