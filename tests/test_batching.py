"""Every relation is batched: a query's round trips do not grow with the page size.

The counts are of the driver's own commands (PyMongo command monitoring), so an N+1
anywhere in a nested query changes them and fails these tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from bson import ObjectId
from conftest import CommandCounter, GraphQLClient, contract
from helpers import busiest

from edugraph.ids import IdPrefix, to_public_id
from edugraph.loaders.base import load_by_id, load_many_by, load_pages_by
from edugraph.store import collections as c

# institutions find + count; courses, resources: one aggregation each; memberships,
# alliances by id, certification centres: one find each.
DIRECTORY_ROUND_TRIPS = 7
# institution by id; courses, resources, learners: one aggregation each; centres,
# memberships, alliances, majors: one find each; tutoring courses: one aggregation.
PROFILE_ROUND_TRIPS = 9
# learner; institution; submissions page; assignments; courses; institutions of those
# courses; credit account; outcomes page; centres; conversions; enrolments; majors;
# chief universities; bookings; sessions — for a learner with something on every path.
LEARNER_ROUND_TRIPS = 15
FAR_FUTURE = datetime(2031, 1, 1, tzinfo=UTC)  # outside every statistics year the other tests read


@pytest.fixture
async def full_learner(db: Any) -> AsyncIterator[str]:
    """A learner with submissions, a credit account with a recognised and a converted
    outcome, a tutoring enrolment and exam bookings, each reaching a different institution
    so that no loader's cache hides a level. Removed again afterwards."""
    major = await db[c.MAJORS].find_one({})
    chief = major["chief_institution_id"]
    home = await db[c.INSTITUTIONS].find_one({"_id": {"$ne": chief}})
    course = await db[c.COURSES].find_one({"institution_id": {"$nin": [chief, home["_id"]]}})
    assignments = await db[c.ASSIGNMENTS].find({"course_id": course["_id"]}).to_list()
    if not assignments:
        assignments = [
            {"_id": ObjectId(), "course_id": course["_id"], "title": "作业", "set_at": FAR_FUTURE, "due_at": FAR_FUTURE}
        ]
    centre = await db[c.CERTIFICATION_CENTRES].find_one({})
    session = await db[c.EXAM_SESSIONS].find_one({})
    learner, account = ObjectId(), ObjectId()
    outcomes = [ObjectId(), ObjectId()]
    documents: dict[str, list[dict[str, Any]]] = {
        c.LEARNERS: [
            {
                "_id": learner,
                "institution_id": home["_id"],
                "name": "测试学员",
                "city": "合肥",
                "registered_at": FAR_FUTURE,
            }
        ],
        c.ASSIGNMENTS: [a for a in assignments if a["set_at"] == FAR_FUTURE],
        c.SUBMISSIONS: [
            {
                "_id": ObjectId(),
                "assignment_id": a["_id"],
                "learner_id": learner,
                "submitted_at": FAR_FUTURE,
                "score": 90,
            }
            for a in assignments[:2]
        ],
        c.CREDIT_ACCOUNTS: [{"_id": account, "learner_id": learner, "opened_at": FAR_FUTURE, "status": "ACTIVE"}],
        c.LEARNING_OUTCOMES: [
            {
                "_id": oid,
                "account_id": account,
                "learner_id": learner,
                "title": "证书",
                "kind": "TRAINING",
                "status": status,
                "credits": 2.0,
                "deposited_at": FAR_FUTURE,
                "recognised_by": centre["_id"],
                "recognised_at": FAR_FUTURE,
            }
            for oid, status in zip(outcomes, ("RECOGNISED", "CONVERTED"), strict=True)
        ],
        c.CREDIT_CONVERSIONS: [
            {
                "_id": ObjectId(),
                "outcome_id": outcomes[1],
                "account_id": account,
                "credits": 2.0,
                "target_course_id": course["_id"],
                "target_major_id": None,
                "rule": "证书-课程",
                "converted_at": FAR_FUTURE,
            }
        ],
        c.TUTORING_ENROLMENTS: [
            {"_id": ObjectId(), "learner_id": learner, "major_id": major["_id"], "enrolled_at": FAR_FUTURE}
        ],
        c.EXAM_BOOKINGS: [
            {
                "_id": ObjectId(),
                "session_id": session["_id"],
                "learner_id": learner,
                "year": 2031,
                "status": "CANCELLED",
                "booked_at": FAR_FUTURE,
            }
        ],
    }
    for collection, docs in documents.items():
        if docs:
            await db[collection].insert_many(docs)
    try:
        yield to_public_id(IdPrefix.LEARNER, learner)
    finally:
        for collection, docs in documents.items():
            if docs:
                await db[collection].delete_many({"_id": {"$in": [d["_id"] for d in docs]}})


async def round_trips(gql: GraphQLClient, counter: CommandCounter, query: str, variables: dict[str, Any]) -> int:
    counter.reset()
    await gql.data(query, variables)
    return counter.count


async def test_directory_costs_the_same_round_trips_for_5_and_50_institutions(
    gql: GraphQLClient, command_counter: CommandCounter
) -> None:
    small = await round_trips(gql, command_counter, contract("InstitutionsDirectory"), {"first": 5})
    large = await round_trips(gql, command_counter, contract("InstitutionsDirectory"), {"first": 50})
    assert small == large == DIRECTORY_ROUND_TRIPS, command_counter.names


async def test_institution_profile_costs_a_fixed_number_of_round_trips(
    gql: GraphQLClient, command_counter: CommandCounter, db: Any
) -> None:
    major = await db[c.MAJORS].find_one({})
    oid = major["chief_institution_id"]
    count = await round_trips(
        gql, command_counter, contract("InstitutionProfile"), {"id": to_public_id(IdPrefix.INSTITUTION, oid)}
    )
    assert count == PROFILE_ROUND_TRIPS, command_counter.names


async def test_learner_profile_costs_a_fixed_number_of_round_trips(
    gql: GraphQLClient, command_counter: CommandCounter, db: Any
) -> None:
    oid = await busiest(db, c.SUBMISSIONS, "learner_id")
    count = await round_trips(
        gql, command_counter, contract("LearnerProfile"), {"id": to_public_id(IdPrefix.LEARNER, oid)}
    )
    assert count <= LEARNER_ROUND_TRIPS, command_counter.names


async def test_a_batch_of_a_thousand_keys_is_read_in_one_command_each_way(
    db: Any, command_counter: CommandCounter
) -> None:
    """A page of 100 institutions with 10 courses each puts 1,000 course keys in one
    batch. Each read shape (one command, see ``edugraph.loaders.base``) must answer every
    key as a read of that key alone does (mongoeco's stock engine refused 500 keys)."""
    courses = await db[c.COURSES].find({}, {"institution_id": 1}).to_list()
    course_ids = [course["_id"] for course in courses]
    keys = [*course_ids, *(ObjectId() for _ in range(1_000 - len(course_ids)))]
    by_id = await load_by_id(db, c.COURSES, keys, {})
    resources = await load_many_by(db, c.COURSE_RESOURCES, "course_id", keys, {})
    pages = await load_pages_by(db, c.COURSE_RESOURCES, "course_id", keys, first=2, after=None, visible={})
    assert [doc and doc["_id"] for doc in by_id] == [*course_ids, *([None] * (1_000 - len(course_ids)))]
    for key, many, page in zip(keys, resources, pages, strict=True):
        alone = await db[c.COURSE_RESOURCES].find({"course_id": key}, sort=[("_id", 1)]).to_list()
        assert [doc["_id"] for doc in many] == [doc["_id"] for doc in alone]
        assert (page.total, [doc["_id"] for doc in page.documents]) == (len(alone), [doc["_id"] for doc in alone[:3]])
