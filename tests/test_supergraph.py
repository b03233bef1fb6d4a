"""Composition with a partner's subgraph, by a real composition library from npm."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from conftest import Store
from strawberry.printer import print_schema

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples" / "partner-jiangxi"))

import partner_jiangxi  # noqa: E402

PARTNER_DB = "partner_jiangxi_test"


def test_the_partner_sdl_file_matches_its_code() -> None:
    committed = (REPO / "examples" / "partner-jiangxi" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_schema(partner_jiangxi.schema) + "\n", "run `make schema`"


def test_both_subgraphs_compose_into_the_committed_supergraph() -> None:
    result = subprocess.run(
        ["node", str(REPO / "deploy" / "supergraph" / "compose.mjs"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    supergraph = (REPO / "deploy" / "supergraph" / "supergraph.graphql").read_text(encoding="utf-8")
    assert '@join__type(graph: EDUGRAPH, key: "id") @join__type(graph: JIANGXI, key: "id")' in supergraph


@pytest.fixture
async def partner(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    await partner_jiangxi.seed(store.uri, PARTNER_DB)
    app = partner_jiangxi.create_app(store.uri, PARTNER_DB)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jiangxi.test") as http:
            yield http


async def test_the_partner_extends_our_alliance_by_key(partner: httpx.AsyncClient, gql: Any) -> None:
    alliances = await gql.data("{ alliances(filter: {kind: CROSS_PROVINCE}) { nodes { id name provinces } } }")
    (alliance,) = alliances["alliances"]["nodes"]
    query = (
        """query($r: [_Any!]!) { _entities(representations: $r) { ... on Alliance { id jiangxiMembers { name } } } }"""
    )
    response = await partner.post(
        "/graphql", json={"query": query, "variables": {"r": [{"__typename": "Alliance", "id": alliance["id"]}]}}
    )
    members = response.json()["data"]["_entities"][0]["jiangxiMembers"]
    assert {"南昌大学", "江西师范大学"} <= {m["name"] for m in members}
    assert set(alliance["provinces"]) == {"安徽", "江西"}


async def test_the_partner_pairs_our_institutions_with_its_universities(partner: httpx.AsyncClient, gql: Any) -> None:
    doc = partner_jiangxi.demo_universities()[0]
    (institution,) = doc["counterpart_ids"]
    ours = await gql.data("query($id: ID!) { institution(id: $id) { name } }", {"id": institution})
    assert ours["institution"]["name"]
    query = """query($r: [_Any!]!) {
      _entities(representations: $r) { ... on Institution { jiangxiCounterparts { id } } }
    }"""
    response = await partner.post(
        "/graphql", json={"query": query, "variables": {"r": [{"__typename": "Institution", "id": institution}]}}
    )
    assert doc["_id"] in {u["id"] for u in response.json()["data"]["_entities"][0]["jiangxiCounterparts"]}
