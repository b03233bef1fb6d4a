"""Credit-bank writes: one account per person, outcomes DEPOSITED → RECOGNISED → CONVERTED."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from bson import ObjectId
from conftest import GraphQLClient

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c
from edugraph.store import credit_writes, idempotency, national_ids

OPEN = """mutation($learner: ID!, $nid: String!, $key: String) {
  openCreditAccount(input: {learnerId: $learner, nationalId: $nid, idempotencyKey: $key}) {
    account { id nationalIdMasked status } errors { code field message } } }"""
DEPOSIT = """mutation($account: ID!, $title: String!, $credits: Float!) {
  depositLearningOutcome(input: {accountId: $account, title: $title, kind: TRAINING, credits: $credits}) {
    outcome { id status title credits } errors { code field } } }"""
RECOGNISE = """mutation($outcome: ID!, $centre: ID!) {
  recogniseLearningOutcome(input: {outcomeId: $outcome, centreId: $centre}) {
    outcome { id status recognisedBy { id } } errors { code field } } }"""
CONVERT = """mutation($outcome: ID!, $credits: Float!, $course: ID, $major: ID, $key: String) {
  convertLearningOutcome(input: {outcomeId: $outcome, credits: $credits, rule: "证书-课程",
      targetCourseId: $course, targetMajorId: $major, idempotencyKey: $key}) {
    conversion { id credits outcome { status } } errors { code field } } }"""
OUTCOMES_2026 = "{ statistics(year: 2026) { creditBank { learningOutcomes { value } accounts { value } } } }"


def national_id(rng: random.Random) -> str:
    prefix = "3401" + "".join(str(rng.randrange(10)) for _ in range(13))
    return next(prefix + ch for ch in "0123456789X" if national_ids.is_valid(prefix + ch))


@pytest.fixture
async def new_learners(db: Any) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Makes learners with no account yet; removes them and all they got afterwards."""
    made: list[ObjectId] = []
    institution = await db[c.INSTITUTIONS].find_one({})

    async def make() -> str:
        oid = ObjectId()
        await db[c.LEARNERS].insert_one(
            {
                "_id": oid,
                "institution_id": institution["_id"],
                "name": "测试",
                "registered_at": datetime(2031, 1, 1, tzinfo=UTC),
            }
        )
        made.append(oid)
        return to_public_id(IdPrefix.LEARNER, oid)

    yield make
    # Each deletion only when there is something to delete: mongoeco's SQLite engine
    # (4.11) answers an empty $in with an SQL syntax error.
    if not made:
        return
    accounts = [a["_id"] async for a in db[c.CREDIT_ACCOUNTS].find({"learner_id": {"$in": made}}, {"_id": 1})]
    outcomes = []
    if accounts:
        outcomes = [o["_id"] async for o in db[c.LEARNING_OUTCOMES].find({"account_id": {"$in": accounts}}, {"_id": 1})]
    for collection, field, ids in (
        (c.CREDIT_CONVERSIONS, "outcome_id", outcomes),
        (c.LEARNING_OUTCOMES, "_id", outcomes),
        (c.CREDIT_ACCOUNTS, "_id", accounts),
        (c.LEARNERS, "_id", made),
    ):
        if ids:
            await db[collection].delete_many({field: {"$in": ids}})


@pytest.fixture
def rng() -> random.Random:
    return random.Random()


async def open_account(gql: GraphQLClient, learner: str, nid: str, key: str | None = None) -> dict[str, Any]:
    data = await gql.data(OPEN, {"learner": learner, "nid": nid, "key": key})
    payload: dict[str, Any] = data["openCreditAccount"]
    return payload


async def deposit(gql: GraphQLClient, account: str, credits: float = 4.0, title: str = "电工证") -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.data(DEPOSIT, {"account": account, "title": title, "credits": credits}))[
        "depositLearningOutcome"
    ]
    return payload


async def centre_id(db: Any) -> str:
    centre = await db[c.CERTIFICATION_CENTRES].find_one({})
    return to_public_id(IdPrefix.CERTIFICATION_CENTRE, centre["_id"])


async def course_id(db: Any) -> str:
    course = await db[c.COURSES].find_one({})
    return to_public_id(IdPrefix.COURSE, course["_id"])


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_an_account_stores_only_a_hash_and_a_masked_id(
    gql: GraphQLClient, db: Any, new_learners: Any, rng: random.Random
) -> None:
    nid = national_id(rng)
    payload = await open_account(gql, await new_learners(), nid)
    assert payload["errors"] == []
    assert payload["account"]["nationalIdMasked"] == f"{nid[:4]}**********{nid[-4:]}"
    stored = await db[c.CREDIT_ACCOUNTS].find_one({"_id": ObjectId(payload["account"]["id"].split("_")[1])})
    assert nid not in repr(stored)
    assert await db[c.IDEMPOTENCY_KEYS].count_documents({"fingerprint": {"$regex": nid}}) == 0


async def test_one_person_gets_one_account(gql: GraphQLClient, new_learners: Any, rng: random.Random) -> None:
    nid = national_id(rng)
    await open_account(gql, await new_learners(), nid)
    second = await open_account(gql, await new_learners(), nid.lower())
    assert second["account"] is None
    assert [(e["code"], e["field"]) for e in second["errors"]] == [("ALREADY_EXISTS", "nationalId")]


async def test_one_learner_gets_one_account(gql: GraphQLClient, new_learners: Any, rng: random.Random) -> None:
    learner = await new_learners()
    await open_account(gql, learner, national_id(rng))
    second = await open_account(gql, learner, national_id(rng))
    assert [(e["code"], e["field"]) for e in second["errors"]] == [("ALREADY_EXISTS", "learnerId")]


async def test_an_invalid_national_id_is_refused(gql: GraphQLClient, new_learners: Any) -> None:
    payload = await open_account(gql, await new_learners(), "340104199001011234X")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("BAD_USER_INPUT", "nationalId")]


async def test_every_bad_input_is_reported_at_once(gql: GraphQLClient) -> None:
    data = await gql.data(DEPOSIT, {"account": "acc_nope", "title": "  ", "credits": 500})
    fields = {e["field"] for e in data["depositLearningOutcome"]["errors"]}
    assert fields == {"accountId", "title", "credits"}


async def test_text_that_looks_like_an_operator_is_stored_as_text(
    gql: GraphQLClient, new_learners: Any, rng: random.Random
) -> None:
    account = (await open_account(gql, await new_learners(), national_id(rng)))["account"]["id"]
    payload = await deposit(gql, account, title='{"$gt": ""}')
    assert payload["outcome"]["title"] == '{"$gt": ""}'


async def test_an_outcome_moves_deposited_recognised_converted_and_nothing_else(
    gql: GraphQLClient, db: Any, new_learners: Any, rng: random.Random
) -> None:
    account = (await open_account(gql, await new_learners(), national_id(rng)))["account"]["id"]
    outcome = (await deposit(gql, account))["outcome"]
    assert outcome["status"] == "DEPOSITED"
    centre, course = await centre_id(db), await course_id(db)

    early = (await gql.data(CONVERT, {"outcome": outcome["id"], "credits": 2, "course": course}))[
        "convertLearningOutcome"
    ]
    assert codes(early) == ["INVALID_TRANSITION"]

    recognised = (await gql.data(RECOGNISE, {"outcome": outcome["id"], "centre": centre}))["recogniseLearningOutcome"]
    assert recognised["outcome"]["status"] == "RECOGNISED"
    assert recognised["outcome"]["recognisedBy"]["id"] == centre
    again = (await gql.data(RECOGNISE, {"outcome": outcome["id"], "centre": centre}))["recogniseLearningOutcome"]
    assert codes(again) == ["INVALID_TRANSITION"]

    converted = (await gql.data(CONVERT, {"outcome": outcome["id"], "credits": 2, "course": course}))[
        "convertLearningOutcome"
    ]
    assert converted["conversion"]["outcome"]["status"] == "CONVERTED"
    twice = (await gql.data(CONVERT, {"outcome": outcome["id"], "credits": 2, "course": course}))[
        "convertLearningOutcome"
    ]
    assert codes(twice) == ["INVALID_TRANSITION"]
    late = (await gql.data(RECOGNISE, {"outcome": outcome["id"], "centre": centre}))["recogniseLearningOutcome"]
    assert codes(late) == ["INVALID_TRANSITION"]
    oid = ObjectId(outcome["id"].split("_")[1])
    assert await db[c.CREDIT_CONVERSIONS].count_documents({"outcome_id": oid}) == 1


async def test_a_conversion_cannot_grant_more_credits_than_the_outcome(
    gql: GraphQLClient, db: Any, new_learners: Any, rng: random.Random
) -> None:
    account = (await open_account(gql, await new_learners(), national_id(rng)))["account"]["id"]
    outcome = (await deposit(gql, account, credits=2))["outcome"]["id"]
    await gql.data(RECOGNISE, {"outcome": outcome, "centre": await centre_id(db)})
    payload = (await gql.data(CONVERT, {"outcome": outcome, "credits": 3, "course": await course_id(db)}))[
        "convertLearningOutcome"
    ]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("BAD_USER_INPUT", "credits")]


async def test_a_conversion_needs_exactly_one_target(gql: GraphQLClient) -> None:
    payload = (await gql.data(CONVERT, {"outcome": "out_000000000000000000000000", "credits": 1}))[
        "convertLearningOutcome"
    ]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("BAD_USER_INPUT", "targetCourseId")]


async def test_a_crash_inside_a_conversion_is_invisible_then_repaired(
    gql: GraphQLClient, db: Any, new_learners: Any, rng: random.Random, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = (await open_account(gql, await new_learners(), national_id(rng)))["account"]["id"]
    outcome = (await deposit(gql, account))["outcome"]["id"]
    await gql.data(RECOGNISE, {"outcome": outcome, "centre": await centre_id(db)})
    finish = credit_writes.finish_conversion

    async def crash(*args: Any) -> None:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(credit_writes, "finish_conversion", crash)
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.2)
    variables = {"outcome": outcome, "credits": 2, "course": await course_id(db), "key": f"k-{ObjectId()}"}
    body = await gql.execute(CONVERT, variables)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    seen = await gql.data(
        "query($id: ID!) { learningOutcome(id: $id) { status conversions { credits } } }", {"id": outcome}
    )
    assert seen["learningOutcome"] == {"status": "CONVERTED", "conversions": [{"credits": 2.0}]}

    monkeypatch.setattr(credit_writes, "finish_conversion", finish)
    retried = (await gql.data(CONVERT, variables))["convertLearningOutcome"]
    assert retried["errors"] == []
    oid = ObjectId(outcome.split("_")[1])
    assert await db[c.CREDIT_CONVERSIONS].count_documents({"outcome_id": oid}) == 1
    assert "pending_conversion" not in await db[c.LEARNING_OUTCOMES].find_one({"_id": oid})


async def test_statistics_reflect_the_writes(gql: GraphQLClient, new_learners: Any, rng: random.Random) -> None:
    before = (await gql.data(OUTCOMES_2026))["statistics"]["creditBank"]
    account = (await open_account(gql, await new_learners(), national_id(rng)))["account"]["id"]
    await deposit(gql, account)
    after = (await gql.data(OUTCOMES_2026))["statistics"]["creditBank"]
    assert after["accounts"]["value"] == before["accounts"]["value"] + 1
    assert after["learningOutcomes"]["value"] == before["learningOutcomes"]["value"] + 1
