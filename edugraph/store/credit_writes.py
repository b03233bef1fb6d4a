"""Credit-bank write paths: accounts, and outcomes moving DEPOSITED → RECOGNISED → CONVERTED.

Each status change is one conditional update (``status`` must be the one the change
starts from), so two concurrent attempts cannot both succeed and no other transition is
possible. A conversion writes two records; the outcome is marked CONVERTED first with the
conversion it owes embedded as ``pending_conversion``, then the conversion record is
written under that pre-chosen id, then the mark is removed. A crash in between leaves the
embedded conversion, which readers show and the next attempt finishes.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from edugraph.loaders.base import Document
from edugraph.store import national_ids
from edugraph.store.collections import (
    CERTIFICATION_CENTRES,
    COURSES,
    CREDIT_ACCOUNTS,
    CREDIT_CONVERSIONS,
    LEARNERS,
    LEARNING_OUTCOMES,
    MAJORS,
)
from edugraph.store.writes import WriteResult, done, failed, first_missing, insert_new, not_found

ONE_ACCOUNT_PER_PERSON = "one_account_per_person"


async def open_account(db: AsyncDatabase[Document], learner_id: ObjectId, national_id: str, key: bytes) -> WriteResult:
    if missing := await first_missing(db, (LEARNERS, learner_id, "learnerId")):
        return missing
    account = {
        "learner_id": learner_id,
        "national_id_hash": national_ids.keyed_hash(national_id, key),
        "national_id_masked": national_ids.masked(national_id),
        "opened_at": datetime.now(UTC),
        "status": "ACTIVE",
    }

    def already(error: DuplicateKeyError) -> WriteResult:
        field = (
            "nationalId" if ONE_ACCOUNT_PER_PERSON in str(error) or "national_id_hash" in str(error) else "learnerId"
        )
        who = "this person" if field == "nationalId" else "this learner"
        return failed("ALREADY_EXISTS", f"A credit-bank account already exists for {who}.", field)

    return await insert_new(db, CREDIT_ACCOUNTS, account, already)


async def deposit_outcome(
    db: AsyncDatabase[Document], account_id: ObjectId, title: str, kind: str, credits: float
) -> WriteResult:
    account = await db[CREDIT_ACCOUNTS].find_one({"_id": account_id}, {"learner_id": 1})
    if account is None:
        return not_found("accountId")
    outcome_id = ObjectId()
    await db[LEARNING_OUTCOMES].insert_one(
        {
            "_id": outcome_id,
            "account_id": account_id,
            "learner_id": account["learner_id"],
            "title": title,
            "kind": kind,
            "status": "DEPOSITED",
            "credits": credits,
            "deposited_at": datetime.now(UTC),
            "recognised_by": None,
            "recognised_at": None,
        }
    )
    return done(outcome_id)


async def recognise_outcome(db: AsyncDatabase[Document], outcome_id: ObjectId, centre_id: ObjectId) -> WriteResult:
    if missing := await first_missing(db, (CERTIFICATION_CENTRES, centre_id, "centreId")):
        return missing
    changed = await db[LEARNING_OUTCOMES].find_one_and_update(
        {"_id": outcome_id, "status": "DEPOSITED"},
        {"$set": {"status": "RECOGNISED", "recognised_by": centre_id, "recognised_at": datetime.now(UTC)}},
        projection={"_id": 1},
    )
    if changed is None:
        return await _refused(db, outcome_id, "Only a DEPOSITED outcome can be recognised.")
    return done(outcome_id)


async def convert_outcome(
    db: AsyncDatabase[Document],
    outcome_id: ObjectId,
    *,
    credits: float,
    rule: str,
    target_course_id: ObjectId | None,
    target_major_id: ObjectId | None,
) -> WriteResult:
    if target_course_id is not None and await db[COURSES].find_one({"_id": target_course_id}, {"_id": 1}) is None:
        return not_found("targetCourseId")
    if target_major_id is not None and await db[MAJORS].find_one({"_id": target_major_id}, {"_id": 1}) is None:
        return not_found("targetMajorId")
    terms: dict[str, Any] = {
        "credits": credits,
        "rule": rule,
        "target_course_id": target_course_id,
        "target_major_id": target_major_id,
    }
    conversion = {"_id": ObjectId(), "outcome_id": outcome_id, **terms, "converted_at": datetime.now(UTC)}
    outcome = await db[LEARNING_OUTCOMES].find_one_and_update(
        {"_id": outcome_id, "status": "RECOGNISED", "credits": {"$gte": credits}},
        {"$set": {"status": "CONVERTED", "pending_conversion": conversion}},
        return_document=ReturnDocument.AFTER,
    )
    if outcome is None:
        current = await db[LEARNING_OUTCOMES].find_one({"_id": outcome_id})
        if current is None:
            return not_found("outcomeId")
        pending = current.get("pending_conversion")
        if pending is not None and all(pending.get(k) == v for k, v in terms.items()):
            outcome = current  # the same conversion, interrupted: finish it below
        elif current["status"] == "RECOGNISED":
            return failed("BAD_USER_INPUT", "credits exceed the outcome's own credits.", "credits")
        else:
            return failed("INVALID_TRANSITION", "Only a RECOGNISED outcome can be converted, once.", "outcomeId")
    await finish_conversion(db, outcome)
    conversion_id: ObjectId = outcome["pending_conversion"]["_id"]
    return done(conversion_id)


async def finish_conversion(db: AsyncDatabase[Document], outcome: Document) -> None:
    """Write the conversion an outcome owes (once: its id is fixed), then drop the mark."""
    pending = dict(outcome["pending_conversion"])
    pending["account_id"] = outcome["account_id"]
    pending["learner_id"] = outcome["learner_id"]
    with contextlib.suppress(DuplicateKeyError):  # written by the interrupted attempt already
        await db[CREDIT_CONVERSIONS].insert_one(pending)
    await db[LEARNING_OUTCOMES].update_one({"_id": outcome["_id"]}, {"$unset": {"pending_conversion": ""}})


async def _refused(db: AsyncDatabase[Document], outcome_id: ObjectId, message: str) -> WriteResult:
    if missing := await first_missing(db, (LEARNING_OUTCOMES, outcome_id, "outcomeId")):
        return missing
    return failed("INVALID_TRANSITION", message, "outcomeId")
