"""Degree foreign-language exam bookings: seats that never run over capacity.

A seat is taken by one atomic update of the session document, which checks capacity
and that the learner holds no seat yet in the same step; the booking record is written
after it. Cancelling marks the booking CANCELLING, gives the seat back, then marks it
CANCELLED. Each step is safe to repeat, and any later booking or cancellation by the
same learner for the same session first finishes what an interrupted one left (a seat
held without a booking record, a booking stuck in CANCELLING), so a crash between two
writes is repaired by the next touch instead of leaking a seat.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from edugraph.loaders.base import Document
from edugraph.store.collections import EXAM_BOOKINGS, EXAM_SESSIONS, INSTITUTIONS, LEARNERS, PAIR_KEY, pair_key
from edugraph.store.writes import WriteResult, done, failed, not_found


async def book_seat(db: AsyncDatabase[Document], session_id: ObjectId, learner_id: ObjectId) -> WriteResult:
    learner = await db[LEARNERS].find_one({"_id": learner_id}, {"institution_id": 1})
    if learner is None:
        return not_found("learnerId")
    institution = await db[INSTITUTIONS].find_one({"_id": learner["institution_id"]}, {"province": 1})
    province = institution.get("province") if institution else None
    await _finish_cancellations(db, session_id, learner_id)
    session = await db[EXAM_SESSIONS].find_one_and_update(
        {"_id": session_id, "holders": {"$ne": learner_id}, "$expr": {"$lt": ["$booked", "$capacity"]}},
        {"$push": {"holders": learner_id}, "$inc": {"booked": 1}},
        projection={"year": 1},
        return_document=ReturnDocument.AFTER,
    )
    if session is None:
        current = await db[EXAM_SESSIONS].find_one({"_id": session_id}, {"year": 1, "holders": 1})
        if current is None:
            return not_found("sessionId")
        if learner_id not in current.get("holders", []):
            return failed("SESSION_FULL", "The exam session has no free seat left.")
        live = await db[EXAM_BOOKINGS].find_one(
            {"session_id": session_id, "learner_id": learner_id, "status": {"$in": ["BOOKED", "ATTENDED"]}}, {"_id": 1}
        )
        if live is not None:
            return failed("ALREADY_BOOKED", "The learner already holds a seat in this exam session.", "learnerId")
        session = current  # a seat held without its record: an interrupted booking, finished below
    booking_id = await _record_booking(db, session_id, learner_id, session["year"], province)
    return done(booking_id)


async def _record_booking(
    db: AsyncDatabase[Document], session_id: ObjectId, learner_id: ObjectId, year: int, province: str | None
) -> ObjectId:
    """The BOOKED record of a held seat, created once (a partial unique index backs this)."""
    try:
        record = await db[EXAM_BOOKINGS].find_one_and_update(
            {
                PAIR_KEY: pair_key(session_id, learner_id),
                "session_id": session_id,
                "learner_id": learner_id,
                "status": "BOOKED",
            },
            {"$setOnInsert": {"_id": ObjectId(), "year": year, "province": province, "booked_at": datetime.now(UTC)}},
            upsert=True,
            projection={"_id": 1},
            return_document=ReturnDocument.AFTER,
        )
    except DuplicateKeyError:
        # A concurrent repair of the same seat inserted it first.
        record = await db[EXAM_BOOKINGS].find_one(
            {"session_id": session_id, "learner_id": learner_id, "status": "BOOKED"}, {"_id": 1}
        )
    assert record is not None
    booking_id: ObjectId = record["_id"]
    return booking_id


async def cancel_booking(db: AsyncDatabase[Document], booking_id: ObjectId) -> WriteResult:
    booking = await db[EXAM_BOOKINGS].find_one_and_update(
        {"_id": booking_id, "status": "BOOKED"},
        {"$set": {"status": "CANCELLING", "cancelled_at": datetime.now(UTC)}},
        return_document=ReturnDocument.AFTER,
    )
    if booking is None:
        current = await db[EXAM_BOOKINGS].find_one({"_id": booking_id})
        if current is None:
            return not_found("bookingId")
        if current["status"] != "CANCELLING":
            return failed("INVALID_TRANSITION", "Only a booking in status BOOKED can be cancelled.", "bookingId")
        booking = current  # an interrupted cancellation: finish it
    await _release(db, booking)
    return done(booking_id)


async def _release(db: AsyncDatabase[Document], booking: Document) -> None:
    # Matching on the holder makes this a no-op when the seat was already given back.
    await db[EXAM_SESSIONS].update_one(
        {"_id": booking["session_id"], "holders": booking["learner_id"]},
        {"$pull": {"holders": booking["learner_id"]}, "$inc": {"booked": -1}},
    )
    await db[EXAM_BOOKINGS].update_one(
        {"_id": booking["_id"], "status": "CANCELLING"}, {"$set": {"status": "CANCELLED"}}
    )


async def _finish_cancellations(db: AsyncDatabase[Document], session_id: ObjectId, learner_id: ObjectId) -> None:
    async for booking in db[EXAM_BOOKINGS].find(
        {"session_id": session_id, "learner_id": learner_id, "status": "CANCELLING"}
    ):
        await _release(db, booking)
