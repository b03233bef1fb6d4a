"""Automatic persisted queries and trusted documents."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from conftest import CONTRACT_DIR, Store, app_client

from edugraph.persisted import load_trusted_documents, sha256

SIMPLE = "{ institutions(first: 1) { totalCount } }"


def apq(digest: str) -> dict[str, object]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


@pytest.fixture
async def trusted_only(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(store, EDUGRAPH_TRUSTED_DOCUMENTS_ONLY=True) as http:
        yield http


def test_the_registered_documents_are_the_contract_operations() -> None:
    contract = {sha256(f.read_text(encoding="utf-8")) for f in CONTRACT_DIR.glob("*.graphql")}
    assert set(load_trusted_documents()) == contract


async def test_an_unknown_hash_asks_for_the_query_then_is_remembered(client: httpx.AsyncClient) -> None:
    digest = sha256(SIMPLE)
    miss = await client.post("/graphql", json={"extensions": apq(digest)})
    assert miss.status_code == 200
    assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    first = await client.post("/graphql", json={"query": SIMPLE, "extensions": apq(digest)})
    assert first.json() == {"data": {"institutions": {"totalCount": 140}}}
    hit = await client.post("/graphql", json={"extensions": apq(digest)})
    assert hit.json() == {"data": {"institutions": {"totalCount": 140}}}


async def test_a_hash_that_does_not_match_its_query_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": SIMPLE, "extensions": apq("0" * 64)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_a_persisted_query_works_over_get(client: httpx.AsyncClient) -> None:
    digest = sha256(SIMPLE)
    await client.post("/graphql", json={"query": SIMPLE, "extensions": apq(digest)})
    response = await client.get(
        "/graphql",
        params={"extensions": json.dumps(apq(digest))},
        headers={"graphql-require-preflight": "1"},
    )
    assert response.json() == {"data": {"institutions": {"totalCount": 140}}}


async def test_trusted_only_mode_runs_a_contract_operation_by_id(trusted_only: httpx.AsyncClient) -> None:
    document = (CONTRACT_DIR / "YearlyStatistics.graphql").read_text(encoding="utf-8")
    response = await trusted_only.post(
        "/graphql", json={"documentId": f"sha256:{sha256(document)}", "variables": {"year": 2023}}
    )
    assert response.json()["data"]["statistics"]["park"]["institutions"]["value"] == 140


async def test_trusted_only_mode_refuses_any_other_operation(trusted_only: httpx.AsyncClient) -> None:
    response = await trusted_only.post("/graphql", json={"query": SIMPLE})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_TRUSTED"
    learned = await trusted_only.post("/graphql", json={"query": SIMPLE, "extensions": apq(sha256(SIMPLE))})
    assert learned.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_TRUSTED"
