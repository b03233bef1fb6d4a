"""The compiled executor answers byte for byte as graphql-core's executor does.

Two apps over the same database, one with compiled execution and one without, get the
same requests — the contract operations and a generated corpus — and must send the
same bytes back, errors included; the compiled one must actually have run its plans.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from conftest import CONTRACT_DIR, CommandCounter, Store, settings_for, token_for
from graphql import OperationType, parse
from helpers import busiest
from query_corpus import ID_SOURCES, QueryGenerator

from edugraph.auth import Role
from edugraph.context import Context
from edugraph.execution.executor import ExecutionStats
from edugraph.ids import IdPrefix, to_public_id
from edugraph.loaders.base import LoaderRegistry, Page
from edugraph.loaders.batch import Answer, Loader
from edugraph.schema import schema as edugraph_schema
from edugraph.store import collections as c

ADMIN = token_for(Role.PLATFORM_ADMIN, subject="admin")


@dataclass
class Served:
    http: httpx.AsyncClient
    stats: ExecutionStats
    commands: CommandCounter


@asynccontextmanager
async def serve(store: Store, *, compiled: bool) -> AsyncIterator[Served]:
    from edugraph.server import create_app

    commands = CommandCounter()
    app = create_app(settings_for(store, EDUGRAPH_COMPILED_EXECUTION=compiled), event_listeners=[commands])
    schema = app.state.edugraph.schema
    setup = getattr(schema.execution_context_class, "setup", None)
    stats = setup.stats if setup is not None else ExecutionStats()
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
            yield Served(http, stats, commands)


@pytest.fixture(scope="module")
async def compiled(store: Store) -> AsyncIterator[Served]:
    async with serve(store, compiled=True) as served:
        yield served


@pytest.fixture(scope="module")
async def standard(store: Store) -> AsyncIterator[Served]:
    async with serve(store, compiled=False) as served:
        yield served


@pytest.fixture(scope="module")
async def ids(store: Store) -> dict[str, list[str]]:
    """A few real ids of every type a root field looks up by id."""
    from edugraph.store.connection import open_client

    client = open_client(store.uri, timeout_ms=10_000)
    try:
        found: dict[str, list[str]] = {}
        for type_name, (collection, prefix) in ID_SOURCES.items():
            docs = await client[store.database][collection].find({}, {"_id": 1}, limit=3).to_list()
            found[type_name] = [to_public_id(prefix, doc["_id"]) for doc in docs]
        return found
    finally:
        await client.close()


async def both(
    compiled: Served, standard: Served, query: str, variables: dict[str, Any] | None = None, token: str | None = ADMIN
) -> tuple[bytes, bytes]:
    headers = {"x-request-id": "differential"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    payload = {"query": query, "variables": variables or {}}
    fast = await compiled.http.post("/graphql", json=payload, headers=headers)
    slow = await standard.http.post("/graphql", json=payload, headers=headers)
    assert fast.status_code == slow.status_code
    return fast.content, slow.content


async def contract_variables(store: Store, ids: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    from edugraph.store.connection import open_client

    client = open_client(store.uri, timeout_ms=10_000)
    try:
        learner = await busiest(client[store.database], c.SUBMISSIONS, "learner_id")
    finally:
        await client.close()
    return {
        "InstitutionsDirectory": {"first": 50},
        "InstitutionProfile": {"id": ids["Institution"][0]},
        "LearnerProfile": {"id": to_public_id(IdPrefix.LEARNER, learner)},
        "PartnerAlliance": {"year": 2023},
        "YearlyStatistics": {"year": 2023},
    }


def _is_query(text: str) -> bool:
    return all(getattr(d, "operation", None) is OperationType.QUERY for d in parse(text).definitions)


QUERIES = sorted(f.stem for f in CONTRACT_DIR.glob("*.graphql") if _is_query(f.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", QUERIES)
async def test_contract_queries_answer_as_graphql_core_does(
    compiled: Served, standard: Served, store: Store, ids: dict[str, list[str]], name: str
) -> None:
    variables = (await contract_variables(store, ids))[name]
    before = compiled.stats.compiled
    query = (CONTRACT_DIR / f"{name}.graphql").read_text(encoding="utf-8")
    fast, slow = await both(compiled, standard, query, variables)
    assert fast == slow
    assert b'"errors"' not in fast
    assert compiled.stats.compiled == before + 1


@pytest.mark.parametrize("name", QUERIES)
async def test_contract_queries_cost_no_more_round_trips_than_under_graphql_core(
    compiled: Served, standard: Served, store: Store, ids: dict[str, list[str]], name: str
) -> None:
    variables = (await contract_variables(store, ids))[name]
    query = (CONTRACT_DIR / f"{name}.graphql").read_text(encoding="utf-8")
    await both(compiled, standard, query, variables)  # warm the statistics cache
    compiled.commands.reset()
    standard.commands.reset()
    await both(compiled, standard, query, variables)
    assert compiled.commands.count <= standard.commands.count


@pytest.mark.parametrize("seed", range(8))
async def test_generated_queries_answer_as_graphql_core_does(
    compiled: Served, standard: Served, ids: dict[str, list[str]], seed: int
) -> None:
    generator = QueryGenerator(edugraph_schema._schema, ids, seed)
    before = (compiled.stats.compiled, compiled.stats.abandoned)
    for _ in range(10):
        query, variables = generator.operation()
        fast, slow = await both(compiled, standard, query, variables)
        assert fast == slow, query
    ran_compiled = compiled.stats.compiled - before[0]
    assert ran_compiled >= 5, "most generated queries should run on their plans"


@pytest.mark.parametrize("seed", range(3))
async def test_generated_queries_of_a_learner_answer_as_graphql_core_does(
    compiled: Served, standard: Served, ids: dict[str, list[str]], seed: int
) -> None:
    """A learner is refused most personal records: errors, nulls and their propagation
    (one root field each: see ``query_corpus`` on errors at the root)."""
    learner = token_for(Role.LEARNER, subject=ids["Learner"][0])
    generator = QueryGenerator(edugraph_schema._schema, ids, 1000 + seed, max_roots=1)
    for _ in range(8):
        query, variables = generator.operation()
        for token in (learner, None):
            fast, slow = await both(compiled, standard, query, variables, token=token)
            assert fast == slow, query


@contextmanager
def garbage_kept() -> Iterator[list[Any]]:
    """Inside: no garbage collection. After: what a collection then finds unreachable (kept
    by ``DEBUG_SAVEALL``), i.e. what only the collector would have freed."""
    gc.collect()
    gc.disable()
    found: list[Any] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


async def test_a_compiled_querys_loaders_and_answers_are_freed_when_it_ends(compiled: Served) -> None:
    """Not left in reference cycles for the garbage collector to find and walk."""
    payload = {"query": (CONTRACT_DIR / "InstitutionsDirectory.graphql").read_text(), "variables": {"first": 20}}
    headers = {"authorization": f"Bearer {ADMIN}"}
    await compiled.http.post("/graphql", json=payload, headers=headers)  # plans and caches made
    ran = compiled.stats.compiled
    with garbage_kept() as garbage:
        response = await compiled.http.post("/graphql", json=payload, headers=headers)
    assert response.status_code == 200
    assert len(response.json()["data"]["institutions"]["nodes"]) == 20
    assert compiled.stats.compiled == ran + 1
    left = sorted(
        {type(o).__name__ for o in garbage if isinstance(o, LoaderRegistry | Loader | Answer | Page | Context)}
    )
    assert left == []


async def test_an_error_abandons_the_plan_for_graphql_cores_answer(compiled: Served, standard: Served) -> None:
    query = "{ institutions(first: 2) { nodes { name courses(first: 101) { totalCount } } } }"
    before = compiled.stats.abandoned
    fast, slow = await both(compiled, standard, query)
    assert fast == slow
    assert b"BAD_USER_INPUT" in fast
    assert compiled.stats.abandoned == before + 1


async def test_a_union_runs_on_graphql_core(compiled: Served, standard: Served, ids: dict[str, list[str]]) -> None:
    query = "query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Institution { name } } }"
    variables = {"r": [{"__typename": "Institution", "id": ids["Institution"][0]}]}
    before = compiled.stats.standard
    fast, slow = await both(compiled, standard, query, variables)
    assert fast == slow
    assert b'"name"' in fast
    assert compiled.stats.standard == before + 1


async def test_skip_and_include_variables_each_get_their_own_plan(compiled: Served, standard: Served) -> None:
    query = (
        "query ($on: Boolean!) { institutions(first: 2) { nodes { id name @include(if: $on) "
        "...Kind @skip(if: $on) } } } fragment Kind on Institution { kind }"
    )
    answers = []
    for on in (True, False, True):
        fast, slow = await both(compiled, standard, query, {"on": on})
        assert fast == slow
        answers.append(fast)
    assert answers[0] == answers[2] != answers[1]
    assert b'"name"' in answers[0]
    assert b'"kind"' in answers[1]
