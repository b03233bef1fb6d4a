"""GraphQL types of live updates: seat counts pushed to subscribers."""

from __future__ import annotations

import strawberry

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store.seat_feed import Seats


@strawberry.type(
    description=(
        "The seat counts of one degree foreign-language exam session (学位外语考试) at one "
        "moment. Sent once when the subscription starts, then again each time a booking "
        "or cancellation changes them."
    )
)
class ExamSessionSeats:
    session_id: strawberry.ID = strawberry.field(description="The session's id (starts with `ses_`).")
    booked: int = strawberry.field(description="Seats currently booked.")
    capacity: int = strawberry.field(description="Seats available in total.")
    remaining: int = strawberry.field(description="Seats still free: `capacity - booked`, never negative.")

    @classmethod
    def from_seats(cls, seats: Seats) -> ExamSessionSeats:
        return cls(
            session_id=to_public_id(IdPrefix.EXAM_SESSION, seats.session_id),
            booked=seats.booked,
            capacity=seats.capacity,
            remaining=max(0, seats.capacity - seats.booked),
        )
