"""Replicas behind a load balancer: what holds when consecutive requests of one client
land on different processes. Each test backs a claim of docs/deployment.md."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from conftest import contract, token_for
from helpers import Sessions
from services import data_of, post_graphql

from edugraph.auth import Role
from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

ADMIN = token_for(Role.PLATFORM_ADMIN, subject="admin")
SEATS = "query($id: ID!) { examSession(id: $id) { booked } }"


async def a_learner(db: Any) -> str:
    doc = await db[c.LEARNERS].find_one({}, {"_id": 1}, sort=[("_id", -1)])
    return to_public_id(IdPrefix.LEARNER, doc["_id"])


async def test_a_write_through_one_replica_is_read_at_once_through_the_other(
    replicas: tuple[int, int], sessions: Sessions, db: Any
) -> None:
    one, other = replicas
    session = await sessions.new(capacity=2)
    variables = {"sessionId": session, "learnerId": await a_learner(db)}
    data_of(post_graphql(one, contract("BookDegreeLanguageExam"), variables, ADMIN))
    assert data_of(post_graphql(other, SEATS, {"id": session}, ADMIN)) == {"examSession": {"booked": 1}}


async def test_a_retry_through_another_replica_gets_the_first_answer(
    replicas: tuple[int, int], sessions: Sessions, db: Any
) -> None:
    one, other = replicas
    session = await sessions.new(capacity=2)
    variables = {"sessionId": session, "learnerId": await a_learner(db), "idempotencyKey": "retry-elsewhere-1"}
    first = data_of(post_graphql(one, contract("BookDegreeLanguageExam"), variables, ADMIN))
    retried = data_of(post_graphql(other, contract("BookDegreeLanguageExam"), variables, ADMIN))
    assert retried == first
    assert data_of(post_graphql(other, SEATS, {"id": session}, ADMIN)) == {"examSession": {"booked": 1}}


def test_an_automatic_persisted_query_is_registered_per_replica(replicas: tuple[int, int]) -> None:
    one, other = replicas
    query = "query ApqProbe { __typename }"
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}

    def send(port: int, **payload: Any) -> Any:
        response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={**payload, "extensions": extensions})
        return response.json()

    assert send(one, query=query) == {"data": {"__typename": "Query"}}
    assert send(one) == {"data": {"__typename": "Query"}}
    # The other replica has not seen it: the client gets the miss APQ clients answer by
    # sending the full query once, so a client works across replicas, one extra request each.
    assert send(other)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert send(other, query=query) == {"data": {"__typename": "Query"}}
