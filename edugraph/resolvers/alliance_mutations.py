"""Mutations of the alliances: exam seats and degree foreign-language course purchases."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix
from edugraph.loaders import alliance as loaders
from edugraph.schema.alliance import DegreeCoursePurchase, ExamBooking
from edugraph.schema.mutations import (
    IDEMPOTENCY_KEY_DESCRIPTION,
    InputCheck,
    UserError,
    acts_for_learner,
    require_actor,
    require_visible,
    write,
)
from edugraph.schema.relations import fetch_one
from edugraph.store import alliance_writes, bookings
from edugraph.store import collections as c

MAX_PRODUCT_LENGTH = 100
MAX_PRICE_YUAN = 100_000.0


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


@strawberry.input(description="A degree foreign-language tutoring course a learner buys.")
class PurchaseDegreeLanguageCourseInput:
    learner_id: strawberry.ID = strawberry.field(description="The buyer (`lrn_…`).")
    product: str = strawberry.field(description=f"The course bought, 1 to {MAX_PRODUCT_LENGTH} characters.")
    price_yuan: float = strawberry.field(description=f"Price paid in yuan, 0 to {MAX_PRICE_YUAN:g}.")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY_DESCRIPTION)


@strawberry.type(description="The purchase recorded, or why it was not.")
class PurchaseDegreeLanguageCoursePayload:
    purchase: DegreeCoursePurchase | None = strawberry.field(description="The purchase; null on failure.")
    errors: list[UserError] = strawberry.field(description="Why it was not recorded; empty on success.")


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
        check = InputCheck()
        session_id = check.id(IdPrefix.EXAM_SESSION, input.session_id, field="sessionId")
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return BookDegreeLanguageExamPayload(booking=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        written = await write(
            info,
            operation="bookDegreeLanguageExam",
            key=key,
            arguments={"sessionId": session_id, "learnerId": learner_id},
            perform=lambda: bookings.book_seat(info.context.db, session_id, learner_id),
        )
        booking = await fetch_one(
            loaders.exam_booking_by_id(info.context.loaders), written.record_id, ExamBooking.from_doc
        )
        return BookDegreeLanguageExamPayload(booking=booking, errors=written.errors)

    @strawberry.mutation(description="Cancel an exam booking; its seat goes back to the session.")
    async def cancel_exam_booking(
        self, info: Info, input: Annotated[CancelExamBookingInput, strawberry.argument(description="The booking.")]
    ) -> CancelExamBookingPayload:
        check = InputCheck()
        booking_id = check.id(IdPrefix.EXAM_BOOKING, input.booking_id, field="bookingId")
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return CancelExamBookingPayload(booking=None, errors=check.errors)
        record = await require_visible(info, c.EXAM_BOOKINGS, booking_id)
        viewer = info.context.viewer
        require_actor(info, "learner_id" not in record or acts_for_learner(viewer, record["learner_id"]))
        written = await write(
            info,
            operation="cancelExamBooking",
            key=key,
            arguments={"bookingId": booking_id},
            perform=lambda: bookings.cancel_booking(info.context.db, booking_id),
        )
        booking = await fetch_one(
            loaders.exam_booking_by_id(info.context.loaders), written.record_id, ExamBooking.from_doc
        )
        return CancelExamBookingPayload(booking=booking, errors=written.errors)

    @strawberry.mutation(description="Record a learner's purchase of a degree foreign-language tutoring course.")
    async def purchase_degree_language_course(
        self,
        info: Info,
        input: Annotated[PurchaseDegreeLanguageCourseInput, strawberry.argument(description="The purchase.")],
    ) -> PurchaseDegreeLanguageCoursePayload:
        check = InputCheck()
        learner_id = check.id(IdPrefix.LEARNER, input.learner_id, field="learnerId")
        product = check.text(input.product, field="product", max_length=MAX_PRODUCT_LENGTH)
        price = check.number(input.price_yuan, field="priceYuan", low=0, high=MAX_PRICE_YUAN)
        key = check.idempotency_key(input.idempotency_key)
        if check.errors:
            return PurchaseDegreeLanguageCoursePayload(purchase=None, errors=check.errors)
        require_actor(info, acts_for_learner(info.context.viewer, learner_id))
        written = await write(
            info,
            operation="purchaseDegreeLanguageCourse",
            key=key,
            arguments={"learnerId": learner_id, "product": product, "priceYuan": price},
            perform=lambda: alliance_writes.purchase_course(info.context.db, learner_id, product, price),
        )
        purchase = await fetch_one(
            loaders.purchase_by_id(info.context.loaders), written.record_id, DegreeCoursePurchase.from_doc
        )
        return PurchaseDegreeLanguageCoursePayload(purchase=purchase, errors=written.errors)
