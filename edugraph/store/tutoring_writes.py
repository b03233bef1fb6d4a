"""Tutoring write paths: enrolling in a major and selecting its courses.

Uniqueness rests on unique indexes — (learner, major) for enrolments, (learner, course)
for selections — so concurrent duplicates cannot both land; the loser is told
ALREADY_ENROLLED / ALREADY_SELECTED instead of seeing a duplicate-key error.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document
from edugraph.store.collections import (
    LEARNERS,
    MAJORS,
    PAIR_KEY,
    TUTORING_COURSE_SELECTIONS,
    TUTORING_COURSES,
    TUTORING_ENROLMENTS,
    pair_key,
)
from edugraph.store.writes import WriteResult, failed, first_missing, insert_new, not_found


async def enrol(db: AsyncDatabase[Document], learner_id: ObjectId, major_id: ObjectId) -> WriteResult:
    if missing := await first_missing(db, (LEARNERS, learner_id, "learnerId"), (MAJORS, major_id, "majorId")):
        return missing
    enrolment = {
        "learner_id": learner_id,
        "major_id": major_id,
        PAIR_KEY: pair_key(learner_id, major_id),
        "enrolled_at": datetime.now(UTC),
    }
    return await insert_new(
        db,
        TUTORING_ENROLMENTS,
        enrolment,
        lambda _: failed("ALREADY_ENROLLED", "The learner is already enrolled in this major.", "majorId"),
    )


async def select_course(db: AsyncDatabase[Document], learner_id: ObjectId, course_id: ObjectId) -> WriteResult:
    course = await db[TUTORING_COURSES].find_one({"_id": course_id}, {"major_id": 1})
    if course is None:
        return not_found("tutoringCourseId")
    enrolment = await db[TUTORING_ENROLMENTS].find_one(
        {"learner_id": learner_id, "major_id": course["major_id"]}, {"_id": 1}
    )
    if enrolment is None:
        return failed("NOT_ENROLLED", "The learner is not enrolled in the major of this course.", "tutoringCourseId")
    selection = {
        "learner_id": learner_id,
        "tutoring_course_id": course_id,
        PAIR_KEY: pair_key(learner_id, course_id),
        "enrolment_id": enrolment["_id"],
        "selected_at": datetime.now(UTC),
    }
    return await insert_new(
        db,
        TUTORING_COURSE_SELECTIONS,
        selection,
        lambda _: failed("ALREADY_SELECTED", "The learner has already selected this course.", "tutoringCourseId"),
    )
