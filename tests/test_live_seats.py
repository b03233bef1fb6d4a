"""Live seat counts: the examSessionSeats subscription over graphql-transport-ws.

Two service processes share the session's database, as two replicas behind a load
balancer would: a client subscribed on one sees bookings made through the other. The
embedded server has no change streams, so this is the polling path end to end.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from bson import ObjectId
from conftest import Store, contract, settings_for, token_for
from helpers import Sessions
from services import data_of, post_graphql, serving
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from edugraph.auth import Role
from edugraph.ids import IdPrefix, to_public_id
from edugraph.server import create_app
from edugraph.store import collections as c
from edugraph.store.connection import open_client
from edugraph.store.seat_feed import SeatFeed

SEATS = """subscription Seats($sessionId: ID!) {
  examSessionSeats(sessionId: $sessionId) { sessionId booked capacity remaining }
}"""
CANCEL = """mutation($bookingId: ID!) {
  cancelExamBooking(input: {bookingId: $bookingId}) { booking { status } errors { code } }
}"""
PROTOCOL = "graphql-transport-ws"
EVENT_TIMEOUT_S = 10.0
ADMIN = token_for(Role.PLATFORM_ADMIN, subject="admin")


class GraphQLWebSocket:
    """A graphql-transport-ws client over a real WebSocket connection."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def subscribe(self, query: str, variables: dict[str, Any], operation_id: str = "1") -> None:
        await self.send({"id": operation_id, "type": "subscribe", "payload": {"query": query, "variables": variables}})

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        async with asyncio.timeout(EVENT_TIMEOUT_S):
            message: dict[str, Any] = json.loads(await self.connection.recv())
        return message

    async def next_seats(self) -> dict[str, Any]:
        message = await self.receive()
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        seats: dict[str, Any] = message["payload"]["data"]["examSessionSeats"]
        return seats


@asynccontextmanager
async def subscriber(port: int, token: str = ADMIN, origin: str | None = None) -> AsyncIterator[GraphQLWebSocket]:
    async with connect(
        f"ws://127.0.0.1:{port}/graphql",
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        origin=origin,  # type: ignore[arg-type]
    ) as connection:
        client = GraphQLWebSocket(connection)
        await client.send({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        assert (await client.receive())["type"] == "connection_ack"
        yield client


def post(port: int, query: str, variables: dict[str, Any]) -> Any:
    return data_of(post_graphql(port, query, variables, ADMIN))


async def a_learner(db: Any) -> str:
    doc = await db[c.LEARNERS].find_one({}, {"_id": 1}, sort=[("_id", 1)])
    return to_public_id(IdPrefix.LEARNER, doc["_id"])


async def test_a_subscriber_first_gets_the_current_seat_counts(replicas: tuple[int, int], sessions: Sessions) -> None:
    session = await sessions.new(capacity=7)
    async with subscriber(replicas[0]) as client:
        await client.subscribe(SEATS, {"sessionId": session})
        assert await client.next_seats() == {"sessionId": session, "booked": 0, "capacity": 7, "remaining": 7}


async def test_messages_are_text_frames_that_browser_clients_can_parse(
    replicas: tuple[int, int], sessions: Sessions
) -> None:
    session = await sessions.new(capacity=2)
    async with subscriber(replicas[0]) as client:
        await client.subscribe(SEATS, {"sessionId": session})
        async with asyncio.timeout(EVENT_TIMEOUT_S):
            frame = await client.connection.recv()
    assert isinstance(frame, str)  # a binary frame reaches a browser's graphql-ws as an unparsable Blob
    assert json.loads(frame)["type"] == "next"


async def test_a_subscriber_sees_bookings_and_cancellations_made_through_another_worker(
    replicas: tuple[int, int], sessions: Sessions, db: Any
) -> None:
    here, elsewhere = replicas
    session = await sessions.new(capacity=3)
    async with subscriber(here) as client:
        await client.subscribe(SEATS, {"sessionId": session})
        assert (await client.next_seats())["booked"] == 0

        booked = post(
            elsewhere, contract("BookDegreeLanguageExam"), {"sessionId": session, "learnerId": await a_learner(db)}
        )
        assert (await client.next_seats()) == {"sessionId": session, "booked": 1, "capacity": 3, "remaining": 2}

        booking_id = booked["bookDegreeLanguageExam"]["booking"]["id"]
        cancelled = post(elsewhere, CANCEL, {"bookingId": booking_id})
        assert cancelled["cancelExamBooking"]["errors"] == []
        assert (await client.next_seats())["booked"] == 0


async def test_every_subscriber_of_a_session_gets_the_change(
    replicas: tuple[int, int], sessions: Sessions, db: Any
) -> None:
    session = await sessions.new(capacity=5)
    async with subscriber(replicas[0]) as one, subscriber(replicas[1]) as other:
        for client in (one, other):
            await client.subscribe(SEATS, {"sessionId": session})
            assert (await client.next_seats())["booked"] == 0
        await db[c.EXAM_SESSIONS].update_one({"_id": ObjectId(session.split("_")[1])}, {"$set": {"capacity": 9}})
        assert [(await client.next_seats())["capacity"] for client in (one, other)] == [9, 9]


async def test_an_unknown_session_ends_the_subscription_with_not_found(replicas: tuple[int, int]) -> None:
    async with subscriber(replicas[0]) as client:
        await client.subscribe(SEATS, {"sessionId": to_public_id(IdPrefix.EXAM_SESSION, ObjectId())})
        message = await client.receive()
        assert message["type"] == "next"
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["NOT_FOUND"]
        assert (await client.receive())["type"] == "complete"


async def test_a_malformed_session_id_is_bad_user_input(replicas: tuple[int, int]) -> None:
    async with subscriber(replicas[0]) as client:
        await client.subscribe(SEATS, {"sessionId": "lrn_123"})
        message = await client.receive()
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["BAD_USER_INPUT"]


async def test_a_bad_token_closes_the_connection_as_forbidden(replicas: tuple[int, int]) -> None:
    async with connect(f"ws://127.0.0.1:{replicas[0]}/graphql", subprotocols=[PROTOCOL]) as connection:  # type: ignore[list-item]
        await connection.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer forged"}}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(connection.recv(), EVENT_TIMEOUT_S)
        assert connection.close_code == 4403, closed.value


async def test_the_feed_polls_where_the_server_refuses_change_streams(store: Store, sessions: Sessions) -> None:
    session = await sessions.new(capacity=2)
    client = open_client(store.uri, timeout_ms=10_000)
    feed = SeatFeed(client[store.database], mode="auto", poll_interval_s=0.1)
    try:
        updates = feed.watch(ObjectId(session.split("_")[1]))
        first = await anext(updates)
        await updates.aclose()
        assert (first.booked, first.capacity, feed.mode) == (0, 2, "poll")
    finally:
        await feed.close()
        await client.close()


async def test_a_page_of_a_foreign_origin_cannot_open_a_websocket(store: Store) -> None:
    app = create_app(settings_for(store, EDUGRAPH_CORS_ORIGINS=["https://app.example"]))
    async with serving(app) as port:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                f"ws://127.0.0.1:{port}/graphql", subprotocols=[PROTOCOL], origin="https://evil.example"
            ):
                pass
    assert refused.value.response.status_code == 403


async def test_an_allowed_origin_can_subscribe(store: Store, sessions: Sessions) -> None:
    session = await sessions.new(capacity=4)
    app = create_app(settings_for(store, EDUGRAPH_CORS_ORIGINS=["https://app.example"]))
    async with serving(app) as port, subscriber(port, origin="https://app.example") as client:
        await client.subscribe(SEATS, {"sessionId": session})
        assert (await client.next_seats())["capacity"] == 4


async def test_trusted_documents_mode_refuses_an_unregistered_subscription(store: Store) -> None:
    app = create_app(settings_for(store, EDUGRAPH_TRUSTED_DOCUMENTS_ONLY=True))
    async with serving(app) as port, subscriber(port) as client:
        await client.subscribe(SEATS, {"sessionId": to_public_id(IdPrefix.EXAM_SESSION, ObjectId())})
        message = await client.receive()
    assert message["type"] == "error"
    assert [e["extensions"]["code"] for e in message["payload"]] == ["OPERATION_NOT_TRUSTED"]
