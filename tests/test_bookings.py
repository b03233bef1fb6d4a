"""Booking degree foreign-language exam seats: capacity, uniqueness, retries, repairs."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from bson import ObjectId
from conftest import GraphQLClient, Store, app_client, contract
from helpers import TEST_YEAR, Sessions

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import bookings, idempotency
from edugraph.store import collections as c

CANCEL = """mutation($bookingId: ID!, $key: String) {
  cancelExamBooking(input: {bookingId: $bookingId, idempotencyKey: $key}) {
    booking { id status session { booked capacity } }
    errors { code message field }
  }
}"""


async def learner_ids(db: Any, n: int) -> list[str]:
    docs = await db[c.LEARNERS].find({}, {"_id": 1}, sort=[("_id", 1)], limit=n).to_list()
    assert len(docs) == n
    return [to_public_id(IdPrefix.LEARNER, d["_id"]) for d in docs]


async def book(gql: GraphQLClient, session_id: str, learner_id: str, key: str | None = None) -> dict[str, Any]:
    body = await gql.execute(
        contract("BookDegreeLanguageExam"), {"sessionId": session_id, "learnerId": learner_id, "idempotencyKey": key}
    )
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["bookDegreeLanguageExam"]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def session_doc(db: Any, session_id: str) -> dict[str, Any]:
    doc: dict[str, Any] = await db[c.EXAM_SESSIONS].find_one({"_id": ObjectId(session_id.split("_")[1])})
    return doc


async def test_a_booking_takes_a_seat(gql: GraphQLClient, db: Any, sessions: Sessions) -> None:
    session = await sessions.new(capacity=3)
    (learner,) = await learner_ids(db, 1)
    payload = await book(gql, session, learner)
    assert payload["errors"] == []
    assert payload["booking"]["status"] == "BOOKED"
    assert payload["booking"]["session"] == {"id": session, "capacity": 3, "booked": 1}


async def test_200_concurrent_bookings_fill_50_seats_exactly(
    gql: GraphQLClient, store: Store, db: Any, sessions: Sessions
) -> None:
    session = await sessions.new(capacity=50)
    learners = await learner_ids(db, 200)
    # What is tested is the outcome, not speed: on a loaded machine the last of 200
    # requests queued on one embedded server may wait longer than the default 15 s.
    async with app_client(store, EDUGRAPH_REQUEST_TIMEOUT_S=300) as http:
        patient = GraphQLClient(http, None).as_(gql.headers["authorization"].removeprefix("Bearer "))
        payloads = await asyncio.gather(*(book(patient, session, learner) for learner in learners))
    outcomes = Counter("BOOKED" if p["booking"] else codes(p)[0] for p in payloads)
    assert outcomes == {"BOOKED": 50, "SESSION_FULL": 150}
    doc = await session_doc(db, session)
    assert doc["booked"] == doc["capacity"] == 50
    assert len(set(doc["holders"])) == 50
    live = await db[c.EXAM_BOOKINGS].count_documents({"session_id": doc["_id"], "status": "BOOKED"})
    assert live == 50


async def test_the_same_learner_twice_is_already_booked(gql: GraphQLClient, db: Any, sessions: Sessions) -> None:
    session = await sessions.new(capacity=5)
    (learner,) = await learner_ids(db, 1)
    first = await book(gql, session, learner)
    second = await book(gql, session, learner)
    assert codes(second) == ["ALREADY_BOOKED"]
    assert second["booking"] is None
    assert (await session_doc(db, session))["booked"] == 1
    assert first["booking"]["id"]


async def test_20_concurrent_retries_with_one_key_make_one_booking(
    gql: GraphQLClient, db: Any, sessions: Sessions
) -> None:
    session = await sessions.new(capacity=5)
    (learner,) = await learner_ids(db, 1)
    key = f"retry-{ObjectId()}"
    payloads = await asyncio.gather(*(book(gql, session, learner, key) for _ in range(20)))
    assert {p["booking"]["id"] for p in payloads} == {payloads[0]["booking"]["id"]}
    assert all(p["errors"] == [] for p in payloads)
    assert (await session_doc(db, session))["booked"] == 1


async def test_the_same_key_with_another_input_is_refused(gql: GraphQLClient, db: Any, sessions: Sessions) -> None:
    session = await sessions.new(capacity=5)
    first_learner, second_learner = await learner_ids(db, 2)
    key = f"reuse-{ObjectId()}"
    await book(gql, session, first_learner, key)
    reused = await book(gql, session, second_learner, key)
    assert codes(reused) == ["IDEMPOTENCY_KEY_REUSED"]
    assert (await session_doc(db, session))["booked"] == 1


async def test_a_cancellation_frees_a_seat_the_next_booking_gets(
    gql: GraphQLClient, db: Any, sessions: Sessions
) -> None:
    session = await sessions.new(capacity=1)
    first, second = await learner_ids(db, 2)
    booked = await book(gql, session, first)
    assert codes(await book(gql, session, second)) == ["SESSION_FULL"]
    cancelled = await gql.data(CANCEL, {"bookingId": booked["booking"]["id"]})
    assert cancelled["cancelExamBooking"]["booking"]["status"] == "CANCELLED"
    assert cancelled["cancelExamBooking"]["booking"]["session"]["booked"] == 0
    again = await book(gql, session, second)
    assert again["booking"]["status"] == "BOOKED"
    assert (await session_doc(db, session))["booked"] == 1


async def test_a_booking_cannot_be_cancelled_twice(gql: GraphQLClient, db: Any, sessions: Sessions) -> None:
    session = await sessions.new(capacity=2)
    (learner,) = await learner_ids(db, 1)
    booking_id = (await book(gql, session, learner))["booking"]["id"]
    await gql.data(CANCEL, {"bookingId": booking_id})
    twice = (await gql.data(CANCEL, {"bookingId": booking_id}))["cancelExamBooking"]
    assert [e["code"] for e in twice["errors"]] == ["INVALID_TRANSITION"]
    assert (await session_doc(db, session))["booked"] == 0


async def test_an_unknown_session_is_not_found(gql: GraphQLClient, db: Any) -> None:
    (learner,) = await learner_ids(db, 1)
    payload = await book(gql, "ses_000000000000000000000000", learner)
    assert payload["booking"] is None
    assert [(e["code"]) for e in payload["errors"]] == ["NOT_FOUND"]


async def test_a_malformed_id_is_bad_user_input_naming_the_field(gql: GraphQLClient, sessions: Sessions) -> None:
    session = await sessions.new(capacity=1)
    body = await gql.execute(
        'mutation($s: ID!) { bookDegreeLanguageExam(input: {sessionId: $s, learnerId: "{\\"$gt\\": \\"\\"}"}) '
        "{ booking { id } errors { code field } } }",
        {"s": session},
    )
    assert body["data"]["bookDegreeLanguageExam"]["errors"] == [{"code": "BAD_USER_INPUT", "field": "learnerId"}]


async def test_a_crash_between_seat_and_record_is_repaired_by_the_retry(
    gql: GraphQLClient, db: Any, sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = await sessions.new(capacity=2)
    (learner,) = await learner_ids(db, 1)
    key = f"crash-{ObjectId()}"
    record = bookings._record_booking

    async def crash(*args: Any) -> ObjectId:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(bookings, "_record_booking", crash)
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.2)
    body = await gql.execute(
        contract("BookDegreeLanguageExam"), {"sessionId": session, "learnerId": learner, "idempotencyKey": key}
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
    assert (await session_doc(db, session))["booked"] == 1  # the seat was taken, the record not written

    monkeypatch.setattr(bookings, "_record_booking", record)
    retried = await book(gql, session, learner, key)
    assert retried["booking"]["status"] == "BOOKED"
    assert retried["booking"]["session"]["booked"] == 1
    assert (
        await db[c.EXAM_BOOKINGS].count_documents({"learner_id": ObjectId(learner.split("_")[1]), "year": TEST_YEAR})
        == 1
    )


async def test_a_crash_in_a_cancellation_is_finished_by_the_next_touch(
    gql: GraphQLClient, db: Any, sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = await sessions.new(capacity=1)
    (learner,) = await learner_ids(db, 1)
    booking_id = (await book(gql, session, learner))["booking"]["id"]
    release = bookings._release

    async def crash(*args: Any) -> None:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(bookings, "_release", crash)
    body = await gql.execute(CANCEL, {"bookingId": booking_id})
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    monkeypatch.setattr(bookings, "_release", release)

    rebooked = await book(gql, session, learner)  # finishes the cancellation, then books again
    assert rebooked["booking"]["status"] == "BOOKED"
    doc = await session_doc(db, session)
    assert doc["booked"] == len(doc["holders"]) == 1


PURCHASE = """mutation($learner: ID!, $price: Float!) {
  purchaseDegreeLanguageCourse(input: {learnerId: $learner, product: "学位英语冲刺班", priceYuan: $price}) {
    purchase { id product priceYuan learner { id } } errors { code field } } }"""


async def test_a_purchase_is_recorded_for_the_learner(gql: GraphQLClient, db: Any) -> None:
    (learner,) = await learner_ids(db, 1)
    payload = (await gql.data(PURCHASE, {"learner": learner, "price": 199.0}))["purchaseDegreeLanguageCourse"]
    try:
        assert payload["purchase"]["learner"]["id"] == learner
        assert payload["purchase"]["product"] == "学位英语冲刺班"
    finally:
        await db[c.DEGREE_COURSE_PURCHASES].delete_one({"_id": ObjectId(payload["purchase"]["id"].split("_")[1])})


async def test_a_negative_price_is_refused(gql: GraphQLClient, db: Any) -> None:
    (learner,) = await learner_ids(db, 1)
    payload = (await gql.data(PURCHASE, {"learner": learner, "price": -1.0}))["purchaseDegreeLanguageCourse"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("BAD_USER_INPUT", "priceYuan")]
