"""Subscriptions: the live side of the graph, served over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.errors import NotFound
from edugraph.ids import IdPrefix, parse_id
from edugraph.schema.live import ExamSessionSeats


@strawberry.type(
    description=(
        "Live updates over WebSocket (the graphql-transport-ws protocol, as spoken by "
        "graphql-ws and Apollo Client) at the same /graphql URL. Send the bearer token as "
        '`{"Authorization": "Bearer …"}` in the connection_init payload.'
    )
)
class Subscription:
    @strawberry.subscription(
        description=(
            "Seat counts of an exam session as bookings and cancellations happen, made "
            "through any replica of the service: the current counts first, then each change, "
            "usually within a second. Ends with a NOT_FOUND error if no session has the id."
        )
    )
    async def exam_session_seats(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The exam session (`ses_…`).")],
    ) -> AsyncGenerator[ExamSessionSeats]:
        oid = parse_id(IdPrefix.EXAM_SESSION, session_id, argument="sessionId")
        feed = info.context.seat_feed
        if feed is None:  # pragma: no cover - the server always gives subscriptions a feed
            raise RuntimeError("subscriptions need the server's seat feed")
        found = False
        async for seats in feed.watch(oid):
            found = True
            yield ExamSessionSeats.from_seats(seats)
        if not found:
            raise NotFound(f"No exam session has the id '{session_id}'.", argument="sessionId")
