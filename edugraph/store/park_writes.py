"""Park write paths: handing in assignments and recording study time.

Both add to the platform's daily counters (``park_daily_activity``) as well as to the
learner's own record. The learner's record is changed first, in one conditional update
that also notes the attempt (``op``); only the attempt that made that change adds to the
day's counter. A retry of the same attempt finds its note and adds nothing twice. A
crash between the two leaves the record right and the day's counter one short — a
rollup slightly low, never a hand-in counted twice or lost.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from edugraph.loaders.base import Document
from edugraph.store.collections import (
    ASSIGNMENTS,
    COURSES,
    LEARNERS,
    PAIR_KEY,
    PARK_DAILY_ACTIVITY,
    STUDY_RECORDS,
    SUBMISSIONS,
    pair_key,
)
from edugraph.store.writes import WriteResult, done, failed, first_missing, not_found

RECENT_OPS = 50


async def submit_assignment(
    db: AsyncDatabase[Document], learner_id: ObjectId, assignment_id: ObjectId, content: str, op: str
) -> WriteResult:
    if missing := await first_missing(db, (LEARNERS, learner_id, "learnerId")):
        return missing
    assignment = await db[ASSIGNMENTS].find_one({"_id": assignment_id}, {"due_at": 1})
    if assignment is None:
        return not_found("assignmentId")
    now = datetime.now(UTC)
    due_at: datetime = assignment["due_at"]
    if due_at.tzinfo is None:
        due_at = due_at.replace(tzinfo=UTC)
    already = await db[SUBMISSIONS].find_one(
        {"assignment_id": assignment_id, "learner_id": learner_id, "history.op": op}
    )
    if already is not None:
        return done(already["_id"])  # this attempt was handed in already: a retry
    if now > due_at:
        return failed("PAST_DUE", f"The assignment was due at {due_at.isoformat()}.", "assignmentId")
    version = {"submitted_at": now, "content": content, "op": op}
    # A resubmission replaces the current hand-in and appends to its history, in one update.
    update = {
        "$set": {"submitted_at": now, "content": content, "score": None},
        "$push": {"history": version},
        "$setOnInsert": {"_id": ObjectId()},
    }
    query = {PAIR_KEY: pair_key(assignment_id, learner_id), "assignment_id": assignment_id, "learner_id": learner_id}
    try:
        submission = await db[SUBMISSIONS].find_one_and_update(
            query, update, upsert=True, return_document=ReturnDocument.AFTER, projection={"_id": 1}
        )
    except DuplicateKeyError:
        # Two first hand-ins raced; the other created the record, this one updates it.
        submission = await db[SUBMISSIONS].find_one_and_update(
            query, {k: v for k, v in update.items() if k != "$setOnInsert"}, return_document=ReturnDocument.AFTER
        )
    assert submission is not None
    await _count(db, now, submissions=1)
    submission_id: ObjectId = submission["_id"]
    return done(submission_id)


async def record_study_time(
    db: AsyncDatabase[Document], learner_id: ObjectId, course_id: ObjectId, minutes: int, op: str
) -> WriteResult:
    if missing := await first_missing(db, (LEARNERS, learner_id, "learnerId"), (COURSES, course_id, "courseId")):
        return missing
    now = datetime.now(UTC)
    query = {PAIR_KEY: pair_key(learner_id, course_id), "learner_id": learner_id, "course_id": course_id}
    update = {
        "$inc": {"minutes": minutes},
        "$set": {"updated_at": now},
        "$push": {"ops": {"$each": [op], "$slice": -RECENT_OPS}},
        "$setOnInsert": {"_id": ObjectId()},
    }
    try:
        record = await db[STUDY_RECORDS].find_one_and_update(
            {**query, "ops": {"$ne": op}}, update, upsert=True, return_document=ReturnDocument.AFTER
        )
    except DuplicateKeyError:
        # Either this attempt was recorded already (the filter excluded the record and the
        # upsert collided with it), or a concurrent first record won the insert.
        existing = await db[STUDY_RECORDS].find_one(query)
        assert existing is not None
        if op in existing.get("ops", []):
            return done(existing["_id"])
        record = await db[STUDY_RECORDS].find_one_and_update(
            {**query, "ops": {"$ne": op}},
            {k: v for k, v in update.items() if k != "$setOnInsert"},
            return_document=ReturnDocument.AFTER,
        )
        if record is None:
            return done(existing["_id"])
    assert record is not None
    await _count(db, now, video_study_hours=minutes / 60)
    record_id: ObjectId = record["_id"]
    return done(record_id)


async def _count(db: AsyncDatabase[Document], when: datetime, **amounts: float) -> None:
    day = datetime(when.year, when.month, when.day, tzinfo=UTC)
    try:
        await db[PARK_DAILY_ACTIVITY].update_one({"date": day}, {"$inc": amounts}, upsert=True)
    except DuplicateKeyError:  # the day's first counter raced another; it exists now
        await db[PARK_DAILY_ACTIVITY].update_one({"date": day}, {"$inc": amounts})
