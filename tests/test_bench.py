"""The benchmark's own pieces: its arithmetic, its floor, its batching-off switch and its
graphql-js target.

The floor and graphql-js are only honest baselines if they return exactly what the
service returns, so their answers are compared with the service's ``data`` over the
session's seeded database. No benchmark runs here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from conftest import GraphQLClient, Store, settings_for, token_for
from services import free_port, stop, wait_until_answering

from bench import harness, instructions
from bench.database import Database
from bench.floor.app import create_floor_app
from bench.labels import short, tick
from bench.measure import Load, Result, Turn, count_objects, percentile
from bench.operations import Operation, operations, sample_ids
from bench.remembered import RememberedReads
from bench.targets import (
    FLOOR,
    GRAPHQL_JS,
    IN_MEMORY,
    command,
    count_round_trips,
    prepare,
    request_for,
    round_trips,
    serves,
)
from edugraph.auth import Role
from edugraph.ids import IdPrefix, to_public_id
from edugraph.server import create_app
from edugraph.store import collections as c


def test_count_objects_counts_every_json_object_at_any_depth() -> None:
    data = {"a": {"b": [{"c": 1}, {"c": None}, 3]}, "d": [], "e": "text"}
    assert count_objects(data) == 4


def test_count_objects_counts_no_object_in_scalars_lists_of_scalars_or_null() -> None:
    assert count_objects(None) == 0
    assert count_objects([1, "x", None]) == 0


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100


def test_percentile_of_one_value_is_that_value() -> None:
    assert percentile([7.5], 0.5) == 7.5
    assert percentile([7.5], 0.99) == 7.5


@pytest.mark.parametrize("q", [0.0, 1.5])
def test_percentile_refuses_a_fraction_outside_zero_to_one(q: float) -> None:
    with pytest.raises(ValueError, match="q must be"):
        percentile([1.0, 2.0], q)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


@pytest.fixture
async def floor(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_floor_app(store.uri, store.database)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://floor.test") as http:
            yield http


async def floor_data(floor: httpx.AsyncClient, operation: Operation) -> Any:
    path, payload = request_for(FLOOR, operation)
    response = await floor.post(path, json=payload)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def learner_with(db: Any, collection: str) -> str:
    """A learner who has a document in ``collection``."""
    doc = await db[collection].find_one({}, sort=[("_id", 1)])
    assert doc is not None, f"the seed has no {collection}"
    return to_public_id(IdPrefix.LEARNER, doc["learner_id"])


CONTRACT_READS = [
    "InstitutionsDirectory",
    "InstitutionProfile",
    "LearnerProfile",
    "PartnerAlliance",
    "YearlyStatistics",
]
BENCHMARKED = [*CONTRACT_READS, "LearnersPage"]


async def benchmarked(db: Any, name: str) -> Operation:
    """The operation named ``name`` as the benchmark sends it."""
    return next(operation for operation in operations(await sample_ids(db)) if operation.name == name)


def test_the_benchmark_sends_every_read_query_of_the_contract_and_a_top_level_page() -> None:
    sent = operations({"institution": "ins_x", "learner": "lrn_x", "learners_after": "cursor"})
    assert sorted(o.name for o in sent if o.contract) == sorted(CONTRACT_READS)
    assert [o.name for o in sent if not o.contract] == ["LearnersPage"]


@pytest.mark.parametrize(
    ("label", "legend", "axis"),
    [
        ("InstitutionsDirectory(first: 50)", "Directory(first: 50)", "Directory\n(first: 50)"),
        (
            "LearnersPage(first: 50, half-way)",
            "LearnersPage(first: 50, half-way)",
            "LearnersPage\n(first: 50, half-way)",
        ),
        ("YearlyStatistics (cached)", "YearlyStatistics", "YearlyStatistics"),
        ("Some query (twice)", "Some query\n(twice)", "Some query\n(twice)"),
        ("PartnerAlliance", "PartnerAlliance", "PartnerAlliance"),
    ],
)
def test_the_charts_axis_puts_an_operations_arguments_on_a_line_of_their_own(
    label: str, legend: str, axis: str
) -> None:
    assert short(label) == legend
    assert tick(label) == axis


def test_the_harness_takes_the_issues_options_scale_seconds_and_out() -> None:
    args = harness.parse_args(["--scale", "0.01", "--seconds", "3", "--out", "/tmp/results.json"])
    assert (args.scales, args.seconds, str(args.out)) == ([0.01], 3.0, "/tmp/results.json")
    assert harness.parse_args(["--scales", "0.001,0.1"]).scales == [0.001, 0.1]


async def test_the_learners_page_starts_half_way_through_the_learners(db: Any, gql: GraphQLClient) -> None:
    operation = await benchmarked(db, "LearnersPage")
    page = (await gql.data(operation.query, operation.variables))["learners"]
    ids = [doc["_id"] for doc in await db[c.LEARNERS].find({}, {"_id": 1}, sort=[("_id", 1)]).to_list()]
    half_way = len(ids) // 2
    assert page["totalCount"] == len(ids)
    assert [node["id"] for node in page["nodes"]] == [
        to_public_id(IdPrefix.LEARNER, oid) for oid in ids[half_way + 1 :][:50]
    ]


@pytest.mark.parametrize("name", BENCHMARKED)
async def test_the_floor_answers_a_benchmarked_query_with_the_services_data(
    db: Any, gql: GraphQLClient, floor: httpx.AsyncClient, name: str
) -> None:
    operation = await benchmarked(db, name)
    assert await floor_data(floor, operation) == await gql.data(operation.query, operation.variables)


@pytest.mark.parametrize("collection", [c.TUTORING_ENROLMENTS, c.EXAM_BOOKINGS, c.CREDIT_CONVERSIONS])
async def test_the_floors_learner_profile_equals_the_services_on_each_path(
    db: Any, gql: GraphQLClient, floor: httpx.AsyncClient, collection: str
) -> None:
    operation = Operation("LearnerProfile", "LearnerProfile", {"id": await learner_with(db, collection)})
    assert await floor_data(floor, operation) == await gql.data(operation.query, operation.variables)


async def test_the_floors_institution_profile_equals_the_services_for_an_institution_without_majors(
    db: Any, gql: GraphQLClient, floor: httpx.AsyncClient
) -> None:
    chiefs = await db[c.MAJORS].distinct("chief_institution_id")
    doc = await db[c.INSTITUTIONS].find_one({"_id": {"$nin": chiefs}})
    operation = Operation(
        "InstitutionProfile", "InstitutionProfile", {"id": to_public_id(IdPrefix.INSTITUTION, doc["_id"])}
    )
    assert await floor_data(floor, operation) == await gql.data(operation.query, operation.variables)


async def test_the_floor_answers_null_for_an_unknown_learner(floor: httpx.AsyncClient) -> None:
    operation = Operation("LearnerProfile", "LearnerProfile", {"id": "lrn_000000000000000000000000"})
    assert await floor_data(floor, operation) == {"learner": None}


def edugraph_app(store: Store, *, batching: bool) -> Any:
    return lambda listeners: create_app(settings_for(store, EDUGRAPH_BATCHING=batching), event_listeners=listeners)


ADMIN = {"authorization": f"Bearer {token_for(Role.PLATFORM_ADMIN, subject='admin')}"}


@pytest.mark.parametrize("name", BENCHMARKED)
async def test_the_floor_never_needs_more_round_trips_than_the_service(db: Any, store: Store, name: str) -> None:
    operation = await benchmarked(db, name)
    floor_trips = await round_trips(
        lambda listeners: create_floor_app(store.uri, store.database, event_listeners=listeners),
        *request_for(FLOOR, operation),
        {},
    )
    service_trips = await round_trips(edugraph_app(store, batching=True), *request_for("edugraph", operation), ADMIN)
    assert floor_trips <= service_trips


async def test_batching_off_sends_a_query_per_key_and_returns_the_same_data(db: Any, store: Store) -> None:
    directory = await benchmarked(db, "InstitutionsDirectory")
    path, payload = request_for("edugraph", directory)
    batched = await round_trips(edugraph_app(store, batching=True), path, payload, ADMIN)
    unbatched = await round_trips(edugraph_app(store, batching=False), path, payload, ADMIN)
    # At least one courses page, one membership list and one centre list per institution.
    assert unbatched >= 3 * directory.variables["first"] > batched
    answers = []
    for batching in (True, False):
        app = create_app(settings_for(store, EDUGRAPH_BATCHING=batching))
        async with LifespanManager(app) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
                answers.append((await http.post(path, json=payload, headers=ADMIN)).json())
    assert "errors" not in answers[0]
    assert answers[0] == answers[1]


def remembering_app(store: Store, *, compiled: bool = True) -> Any:
    return lambda listeners: create_app(
        settings_for(store, EDUGRAPH_COMPILED_EXECUTION=compiled),
        event_listeners=listeners,
        database_view=RememberedReads(),
    )


@pytest.mark.parametrize("name", BENCHMARKED)
async def test_the_in_memory_target_answers_with_the_services_data_every_time(
    db: Any, store: Store, gql: GraphQLClient, name: str
) -> None:
    operation = await benchmarked(db, name)
    path, payload = request_for(IN_MEMORY, operation)
    async with LifespanManager(remembering_app(store)([])) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
            answers = [(await http.post(path, json=payload, headers=ADMIN)).json() for _ in range(3)]
    expected = await gql.data(operation.query, operation.variables)
    assert [answer["data"] for answer in answers] == [expected] * 3


@pytest.mark.parametrize("compiled", [True, False])
async def test_the_in_memory_targets_read_nothing_once_they_have_answered(
    db: Any, store: Store, compiled: bool
) -> None:
    directory = await benchmarked(db, "InstitutionsDirectory")
    path, payload = request_for(IN_MEMORY, directory)
    assert await round_trips(remembering_app(store, compiled=compiled), path, payload, ADMIN) == 0


async def test_remembered_reads_tell_different_arguments_apart(db: Any) -> None:
    reads = RememberedReads()(db)
    ids = [doc["_id"] async for doc in db[c.INSTITUTIONS].find({}, {"_id": 1}, sort=[("_id", 1)], limit=2)]
    first = await reads[c.INSTITUTIONS].find({"_id": ids[0]}).to_list()
    second = await reads[c.INSTITUTIONS].find({"_id": ids[1]}).to_list()
    assert [doc["_id"] for doc in first + second] == ids
    assert await reads[c.INSTITUTIONS].count_documents({"_id": {"$in": ids}}) == 2
    assert (await reads[c.INSTITUTIONS].find_one({"_id": ids[1]}))["_id"] == ids[1]


@pytest.fixture
async def graphql_js(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The graphql-js target started as the harness starts it: a node process on a free
    port, over a snapshot of the session's database written into its directory first."""
    port = free_port()
    await prepare(GRAPHQL_JS, uri=store.uri, database=store.database, workdir=tmp_path)
    args, _ = command(GRAPHQL_JS, uri=store.uri, database=store.database, port=port, workdir=tmp_path)
    process = await asyncio.to_thread(subprocess.Popen, args, stdout=subprocess.DEVNULL)
    try:
        await asyncio.to_thread(wait_until_answering, f"http://127.0.0.1:{port}/graphql", process)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield http
    finally:
        await asyncio.to_thread(stop, process)


async def graphql_js_data(graphql_js: httpx.AsyncClient, operation: Operation) -> Any:
    path, payload = request_for(GRAPHQL_JS, operation)
    response = await graphql_js.post(path, json=payload)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def test_graphql_js_answers_the_directory_with_the_services_data(
    db: Any, gql: GraphQLClient, graphql_js: httpx.AsyncClient
) -> None:
    operation = await benchmarked(db, "InstitutionsDirectory")
    assert await graphql_js_data(graphql_js, operation) == await gql.data(operation.query, operation.variables)


async def test_graphql_js_answers_the_page_after_a_services_cursor_with_the_services_data(
    db: Any, gql: GraphQLClient, graphql_js: httpx.AsyncClient
) -> None:
    directory = await benchmarked(db, "InstitutionsDirectory")
    first_page = await gql.data(directory.query, directory.variables)
    after = first_page["institutions"]["pageInfo"]["endCursor"]
    operation = Operation("second page", "InstitutionsDirectory", {"first": 3, "after": after})
    expected = await gql.data(operation.query, operation.variables)
    assert len(expected["institutions"]["nodes"]) == 3
    assert await graphql_js_data(graphql_js, operation) == expected


async def test_graphql_js_answers_a_malformed_query_with_a_graphql_error_and_keeps_serving(
    db: Any, graphql_js: httpx.AsyncClient
) -> None:
    response = await graphql_js.post("/graphql", json={"query": "{ institutions(first: 1) { nodes { id }"})
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")
    directory = await benchmarked(db, "InstitutionsDirectory")
    assert (await graphql_js_data(graphql_js, directory))["institutions"]["nodes"]


async def test_graphql_js_serves_the_directory_only(db: Any) -> None:
    served = [o.name for o in operations(await sample_ids(db)) if serves(GRAPHQL_JS, o)]
    assert served == ["InstitutionsDirectory"]


async def test_graphql_js_round_trips_are_none_and_need_no_in_process_copy(db: Any) -> None:
    directory = await benchmarked(db, "InstitutionsDirectory")
    # No database at this address: counting must not try to reach one.
    trips = await count_round_trips(GRAPHQL_JS, "mongodb://127.0.0.1:9", *request_for(GRAPHQL_JS, directory), {})
    assert trips == 0


def test_the_default_targets_leave_graphql_js_out_with_one_line_when_it_cannot_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(harness, "graphql_js_missing", lambda: "node is not on PATH")
    args = harness.parse_args([])
    assert GRAPHQL_JS not in args.targets
    assert capsys.readouterr().out == "graphql-js target skipped: node is not on PATH\n"


def test_the_instruction_count_is_read_from_valgrinds_summary() -> None:
    output = "==1== Events    : Ir\n==1== Collected : 4626311642\n==1==\n==1== I   refs:      4,626,311,642\n"
    assert instructions.instructions_in(output) == 4_626_311_642


def test_a_valgrind_output_without_a_count_is_an_error() -> None:
    with pytest.raises(ValueError, match="no instruction count"):
        instructions.instructions_in("==1== valgrind: failed to start tool\n")


def test_one_requests_instructions_are_the_difference_over_the_extra_requests() -> None:
    assert instructions.per_request(4_000_000_000, 4_540_000_000, 20) == 27_000_000


def test_the_counted_runs_must_differ_in_requests() -> None:
    with pytest.raises(ValueError, match="more requests"):
        instructions.per_request(1, 2, 0)


def _result(scale: float) -> Result:
    return Result(
        target="edugraph",
        scale=scale,
        operation="YearlyStatistics (cached)",
        concurrency=1,
        requests=10,
        errors=0,
        seconds=1.0,
        requests_per_s=10.0,
        p50_ms=1.0,
        p95_ms=1.0,
        p99_ms=1.0,
        cpu_us_per_request=1000.0,
        cpu_us_per_object=30.0,
        db_cpu_us_per_request=0.0,
        client_cpu_us_per_request=100.0,
        objects_per_response=33,
        response_bytes=2000,
        round_trips=0,
        peak_rss_mb=80.0,
    )


def test_a_scale_that_fails_is_reported_and_the_others_are_still_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    @contextlib.asynccontextmanager
    async def seeded(scale: float) -> AsyncIterator[Database]:
        if scale == 0.1:
            raise RuntimeError("the embedded MongoDB server did not start")
        yield Database(uri="mongodb://unused", scale=scale, process=None, documents=100, seed_seconds=1.0)  # type: ignore[arg-type]

    async def measured(database: Database, *args: Any, **kwargs: Any) -> list[Result]:
        return [_result(database.scale)]

    monkeypatch.setattr(harness, "seeded_database", seeded)
    monkeypatch.setattr(harness, "measure_scale", measured)
    out = tmp_path / "bench.json"
    status = harness.main(["--scales", "0.001,0.1,0.002", "--out", str(out), "--no-chart", "--targets", "edugraph"])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert status == 1
    assert [row["scale"] for row in written["scales"]] == [0.001, 0.002]
    assert {row["scale"] for row in written["results"]} == {0.001, 0.002}
    assert written["meta"]["failures"] == [{"scale": 0.1, "error": "the embedded MongoDB server did not start"}]


def _turn(latencies: list[float], *, errors: int = 0, cpu: float = 0.01, rss: float = 80.0) -> Turn:
    load = Load(latencies, errors, seconds=1.0)
    return Turn(load, service_cpu=cpu, db_cpu=cpu / 10, client_cpu=cpu / 2, peak_rss_mb=rss)


_SHAPE = harness.Profile(objects=10, size=2000, trips=0)


@contextlib.asynccontextmanager
async def _running(name: str, **kwargs: Any) -> AsyncIterator[Any]:
    yield SimpleNamespace(name=name)


def _unused_database(scale: float = 0.1) -> Database:
    return Database(uri="mongodb://unused", scale=scale, process=None, documents=1, seed_seconds=1.0)  # type: ignore[arg-type]


async def test_an_operation_a_target_cannot_answer_is_reported_and_the_next_one_is_still_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failing, answered = (SimpleNamespace(name=name, label=name) for name in ("YearlyStatistics", "PartnerAlliance"))

    async def sample_operations(uri: str) -> list[Any]:
        return [failing, answered]

    async def profile(target: Any, operation: Any, database: Database) -> Any:
        if operation is failing:
            raise RuntimeError("edugraph could not answer YearlyStatistics")
        return _SHAPE

    async def take_turn(target: Any, operation: Any, database: Database, **kwargs: Any) -> Turn:
        return _turn([0.001])

    for name, fake in (("running", _running), ("sample_operations", sample_operations), ("profile", profile)):
        monkeypatch.setattr(harness, name, fake)
    monkeypatch.setattr(harness, "take_turn", take_turn)
    failures: list[dict[str, Any]] = []
    results = await harness.measure_scale(_unused_database(), ["edugraph"], [1], 1.0, failures)
    assert [result.operation for result in results] == ["PartnerAlliance"]
    assert failures == [
        {"scale": 0.1, "operation": "YearlyStatistics", "error": "edugraph could not answer YearlyStatistics"}
    ]


async def test_targets_take_turns_in_rounds_each_driven_for_its_share_of_the_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    operation = SimpleNamespace(name="PartnerAlliance", label="PartnerAlliance")
    turns: list[tuple[str, int, float]] = []

    async def sample_operations(uri: str) -> list[Any]:
        return [operation]

    async def profile(target: Any, operation: Any, database: Database) -> Any:
        return _SHAPE

    async def take_turn(target: Any, operation: Any, database: Database, *, concurrency: int, seconds: float) -> Turn:
        turns.append((target.name, concurrency, seconds))
        return _turn([0.001])

    for name, fake in (("running", _running), ("sample_operations", sample_operations), ("profile", profile)):
        monkeypatch.setattr(harness, name, fake)
    monkeypatch.setattr(harness, "take_turn", take_turn)
    results = await harness.measure_scale(_unused_database(), ["edugraph", "floor"], [1, 4], 3.0, [], rounds=3)
    assert turns == [("edugraph", 1, 1.0), ("floor", 1, 1.0)] * 3 + [("edugraph", 4, 1.0), ("floor", 4, 1.0)] * 3
    assert [(result.target, result.concurrency, result.requests) for result in results] == [
        ("edugraph", 1, 3),
        ("floor", 1, 3),
        ("edugraph", 4, 3),
        ("floor", 4, 3),
    ]


def test_a_cells_figures_add_up_all_of_its_targets_turns() -> None:
    target, operation = SimpleNamespace(name="edugraph"), SimpleNamespace(label="PartnerAlliance")
    turns = [_turn([0.004, 0.001], cpu=0.02, rss=80.0), _turn([0.002], errors=1, cpu=0.01, rss=95.0)]
    result = harness.measure(target, operation, _SHAPE, _unused_database(), concurrency=4, turns=turns)  # type: ignore[arg-type]
    assert (result.requests, result.errors, result.seconds) == (4, 1, 2.0)
    assert result.requests_per_s == 1.5  # three answered in two seconds
    assert (result.p50_ms, result.p99_ms) == (2.0, 4.0)
    assert result.cpu_us_per_request == pytest.approx(0.03 / 4 * 1e6)
    assert result.cpu_us_per_object == pytest.approx(0.03 / 40 * 1e6)
    assert result.db_cpu_us_per_request == pytest.approx(0.003 / 4 * 1e6)
    assert result.client_cpu_us_per_request == pytest.approx(0.015 / 4 * 1e6)
    assert result.peak_rss_mb == 95.0


def test_rounds_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        harness.parse_args(["--rounds", "0", "--targets", "edugraph"])
    assert "--rounds must be 1 or more" in capsys.readouterr().err
