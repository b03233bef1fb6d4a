"""Mutations of the alliances: booking and cancelling degree foreign-language exam seats."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from bson import ObjectId

from edugraph.context import Info
from edugraph.ids import IdPrefix
from edugraph.loaders import alliance as loaders
from edugraph.schema.alliance import ExamBooking
from edugraph.schema.mutations import (
    IDEMPOTENCY_KEY_DESCRIPTION,
    UserError,
    UserErrorCode,
    check_idempotency_key,
    input_id,
)
from edugraph.schema.relations import load_one
from edugraph.store import bookings
from edugraph.store.idempotency import IdempotencyKeyReused, once

_MESSAGES = {
    bookings.BookingOutcome.SESSION_FULL: "The exam session has no free seat left.",
    bookings.BookingOutcome.ALREADY_BOOKED: "The learner already holds a seat in this exam session.",
    bookings.BookingOutcome.INVALID_TRANSITION: "Only a booking in status BOOKED can be cancelled.",
}


@strawberry.input(description="Which learner books a seat in which exam session.")
class BookDegreeLanguageExamInput:
    session_id: strawberry.ID = strawberry.field(description="The exam session (`ses_…`).")
    learner_id: strawberry.ID = strawberry.field(description="The candidate (`lrn_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The booking made, or why none was.")
class BookDegreeLanguageExamPayload:
    booking: ExamBooking | None = strawberry.field(description="The booking; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(description="Why the seat was not booked; empty on success.")


@strawberry.input(description="The booking to cancel.")
class CancelExamBookingInput:
    booking_id: strawberry.ID = strawberry.field(description="The booking (`bkg_…`).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The cancelled booking, or why it was not cancelled.")
class CancelExamBookingPayload:
    booking: ExamBooking | None = strawberry.field(description="The booking, now CANCELLED; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why it was not cancelled; empty on success.")


def _errors_of(result: dict[str, Any]) -> list[UserError]:
    outcome = bookings.BookingOutcome(result["outcome"])
    if outcome in (bookings.BookingOutcome.BOOKED, bookings.BookingOutcome.CANCELLED):
        return []
    if outcome is bookings.BookingOutcome.NOT_FOUND:
        field = result.get("missing")
        return [UserError(code=UserErrorCode.NOT_FOUND, message=f"No record matches {field}.", field=field)]
    return [UserError(code=UserErrorCode[outcome.value], message=_MESSAGES[outcome], field=None)]


def _as_response(result: bookings.BookingResult) -> dict[str, Any]:
    return {"outcome": result.outcome.value, "booking_id": result.booking_id, "missing": result.missing}


async def _booking(info: Info, result: dict[str, Any]) -> ExamBooking | None:
    if result["outcome"] not in (bookings.BookingOutcome.BOOKED, bookings.BookingOutcome.CANCELLED):
        return None
    booking_id: ObjectId = result["booking_id"]
    return await load_one(loaders.exam_booking_by_id(info.context.loaders), booking_id, ExamBooking.from_doc)


def _reused() -> list[UserError]:
    return [
        UserError(
            code=UserErrorCode.IDEMPOTENCY_KEY_REUSED,
            message="This idempotency key was already used with a different input.",
            field="idempotencyKey",
        )
    ]


@strawberry.type
class AllianceMutation:
    @strawberry.mutation(
        description=(
            "Book a learner a seat in a degree foreign-language exam session (考试预约). Seats never "
            "run over capacity and a learner holds at most one seat per session."
        )
    )
    async def book_degree_language_exam(
        self,
        info: Info,
        input: Annotated[BookDegreeLanguageExamInput, strawberry.argument(description="The session and the learner.")],
    ) -> BookDegreeLanguageExamPayload:
        session_id = input_id(IdPrefix.EXAM_SESSION, input.session_id, field="sessionId")
        learner_id = input_id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        invalid = [
            e
            for e in (session_id, learner_id, check_idempotency_key(input.idempotency_key))
            if isinstance(e, UserError)
        ]
        if invalid:
            return BookDegreeLanguageExamPayload(booking=None, errors=invalid)
        assert isinstance(session_id, ObjectId)
        assert isinstance(learner_id, ObjectId)
        db = info.context.db

        async def perform() -> dict[str, Any]:
            return _as_response(await bookings.book_seat(db, session_id, learner_id))

        try:
            result = await once(
                db,
                key=input.idempotency_key,
                operation="bookDegreeLanguageExam",
                arguments={"sessionId": str(session_id), "learnerId": str(learner_id)},
                perform=perform,
            )
        except IdempotencyKeyReused:
            return BookDegreeLanguageExamPayload(booking=None, errors=_reused())
        info.context.statistics_cache.clear()
        return BookDegreeLanguageExamPayload(booking=await _booking(info, result), errors=_errors_of(result))

    @strawberry.mutation(description="Cancel an exam booking; its seat goes back to the session.")
    async def cancel_exam_booking(
        self, info: Info, input: Annotated[CancelExamBookingInput, strawberry.argument(description="The booking.")]
    ) -> CancelExamBookingPayload:
        booking_id = input_id(IdPrefix.EXAM_BOOKING, input.booking_id, field="bookingId")
        invalid = [e for e in (booking_id, check_idempotency_key(input.idempotency_key)) if isinstance(e, UserError)]
        if invalid:
            return CancelExamBookingPayload(booking=None, errors=invalid)
        assert isinstance(booking_id, ObjectId)
        db = info.context.db

        async def perform() -> dict[str, Any]:
            return _as_response(await bookings.cancel_booking(db, booking_id))

        try:
            result = await once(
                db,
                key=input.idempotency_key,
                operation="cancelExamBooking",
                arguments={"bookingId": str(booking_id)},
                perform=perform,
            )
        except IdempotencyKeyReused:
            return CancelExamBookingPayload(booking=None, errors=_reused())
        info.context.statistics_cache.clear()
        return CancelExamBookingPayload(booking=await _booking(info, result), errors=_errors_of(result))
