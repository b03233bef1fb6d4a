"""The embedded server's engine answers reads by ObjectId keys from indexes, and answers
every query exactly as mongoeco's stock engine does."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from mongoeco import AsyncMongoClient
from mongoeco.engines.sqlite import SQLiteEngine
from pymongo import ASCENDING, DESCENDING

from edugraph.store.embedded_engine import GraphReadsEngine, close_engine, sqlite_engine

KEYS = [ObjectId() for _ in range(6)]
IDS = [ObjectId() for _ in range(12)]
SQLITE_MAX_PARAMETERS = 32_766


def _documents() -> list[dict[str, Any]]:
    """Keys of every shape a ``$in`` on ObjectIds must tell apart: ObjectIds, their hex
    as a string, missing, null, embedded, and (in ``holders``) arrays of ObjectIds."""
    return [
        {"_id": IDS[0], "k": KEYS[0], "n": 0, "holders": [KEYS[0], KEYS[1]]},
        {"_id": IDS[1], "k": KEYS[0], "n": 1, "holders": KEYS[2]},
        {"_id": IDS[2], "k": KEYS[1], "n": 2, "holders": []},
        {"_id": IDS[3], "k": KEYS[2], "n": 3, "holders": [KEYS[3]]},
        {"_id": IDS[4], "k": str(KEYS[0]), "n": 4},
        {"_id": IDS[5], "n": 5, "holders": None},
        {"_id": IDS[6], "k": None, "n": 6},
        {"_id": IDS[7], "k": {"k": KEYS[0]}, "n": 7, "sub": {"k": KEYS[0]}},
        {"_id": IDS[8], "k": KEYS[3], "n": 8, "sub": {"k": KEYS[1]}},
        {"_id": str(IDS[9]), "k": KEYS[4], "n": 9},
        {"_id": 10, "k": KEYS[4], "n": 10},
    ]


FILTERS: list[dict[str, Any]] = [
    {"k": {"$in": KEYS[:3]}},
    {"k": {"$in": [KEYS[0]]}},
    {"k": {"$in": [KEYS[0], str(KEYS[0])]}},
    {"k": {"$in": [KEYS[5]]}},
    {"k": {"$in": [KEYS[0], None]}},
    {"k": KEYS[0]},
    {"k": {"$nin": KEYS[:2]}},
    {"k": {"$not": {"$in": KEYS[:2]}}},
    {"k": {"$in": KEYS[:4]}, "n": {"$gte": 2}},
    {"$or": [{"k": {"$in": KEYS[1:3]}}, {"n": 0}]},
    {"holders": {"$in": KEYS[:3]}},
    {"holders": {"$in": [KEYS[3]]}},
    {"sub.k": {"$in": KEYS[:2]}},
    {"_id": {"$in": IDS}},
    {"_id": {"$in": [IDS[0], ObjectId()]}},
    {"_id": {"$in": [IDS[9], str(IDS[9]), 10]}},
    {"_id": IDS[3]},
    {"_id": ObjectId()},
    {"_id": {"$in": IDS[:4]}, "k": {"$in": KEYS[:1]}},
    {"_id": {"$gt": IDS[3]}},
    {"_id": {"$lte": IDS[3]}},
    {"_id": {"$not": {"$gt": IDS[3]}}},
    {"_id": {"$exists": True}},
    {"_id": {"$exists": False}},
    {"$and": [{"k": {"$in": KEYS[:3]}}, {"_id": {"$exists": True}}]},
]


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[SQLiteEngine, SQLiteEngine]]:
    """mongoeco's stock engine and ours, each holding the same documents and indexes."""
    stock = SQLiteEngine(path=str(tmp_path / "stock.sqlite"))
    ours = sqlite_engine(tmp_path / "ours.sqlite")
    for engine in (stock, ours):
        await engine.connect()
        items = AsyncMongoClient(engine)["db"]["items"]
        await items.create_index([("k", ASCENDING), ("_id", ASCENDING)], name="k")
        await items.create_index([("holders", ASCENDING), ("_id", ASCENDING)], name="holders")
        await items.insert_many(_documents())
    try:
        yield stock, ours
    finally:
        for engine in (stock, ours):
            await engine.disconnect()


def _items(engine: SQLiteEngine) -> Any:
    return AsyncMongoClient(engine)["db"]["items"]


def _ids(documents: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(document["_id"]) for document in documents)


@pytest.mark.parametrize("query", FILTERS, ids=[repr(query)[:60] for query in FILTERS])
async def test_a_find_returns_what_the_stock_engine_returns(
    engines: tuple[SQLiteEngine, SQLiteEngine], query: dict[str, Any]
) -> None:
    stock, ours = engines
    expected = await _items(stock).find(query).to_list()
    assert _ids(await _items(ours).find(query).to_list()) == _ids(expected)
    assert await _items(ours).count_documents(query) == len(expected)


async def test_an_aggregation_matching_keys_groups_what_the_stock_engine_groups(
    engines: tuple[SQLiteEngine, SQLiteEngine],
) -> None:
    pipeline = [{"$match": {"k": {"$in": KEYS[:3]}}}, {"$group": {"_id": "$k", "total": {"$sum": 1}}}]
    stock, ours = engines
    groups = [
        sorted(
            (str(group["_id"]), group["total"]) for group in await (await _items(engine).aggregate(pipeline)).to_list()
        )
        for engine in (stock, ours)
    ]
    assert groups[0] == groups[1] == sorted([(str(KEYS[0]), 2), (str(KEYS[1]), 1), (str(KEYS[2]), 1)])


async def test_writes_by_keys_change_what_the_stock_engine_changes(engines: tuple[SQLiteEngine, SQLiteEngine]) -> None:
    stock, ours = engines
    for engine in (stock, ours):
        await _items(engine).update_many({"k": {"$in": KEYS[:2]}}, {"$set": {"seen": True}})
        await _items(engine).delete_many({"_id": {"$in": IDS[2:4]}})
    after = [await _items(engine).find({}, sort=[("n", ASCENDING)]).to_list() for engine in (stock, ours)]
    assert after[0] == after[1]
    assert [document["n"] for document in after[1] if document.get("seen")] == [0, 1]


async def test_a_key_read_sees_an_array_written_after_the_first_read(
    engines: tuple[SQLiteEngine, SQLiteEngine],
) -> None:
    """The "no arrays here" check is cached per collection; a write must reset it."""
    _, ours = engines
    assert len(await _items(ours).find({"k": {"$in": [KEYS[5]]}}).to_list()) == 0
    await _items(ours).insert_one({"k": [KEYS[5], KEYS[4]], "n": 11})
    assert [document["n"] for document in await _items(ours).find({"k": {"$in": [KEYS[5]]}}).to_list()] == [11]


# A top-level page: ``_id`` order, a cursor's bound on ``_id`` (resolvers/paging.py).
PAGES: list[tuple[dict[str, Any], int, int, int]] = [
    ({}, ASCENDING, 0, 4),
    ({}, DESCENDING, 0, 4),
    ({"_id": {"$gt": IDS[3]}}, ASCENDING, 0, 4),
    ({"_id": {"$gte": IDS[3]}}, ASCENDING, 0, 20),
    ({"_id": {"$lt": IDS[8]}}, DESCENDING, 0, 3),
    ({"_id": {"$lte": IDS[8]}}, DESCENDING, 2, 3),
    ({"$and": [{"n": {"$gte": 2}}, {"_id": {"$gt": IDS[4]}}]}, ASCENDING, 0, 2),
    ({"$or": [{"_id": {"$lt": IDS[2]}}, {"n": 7}]}, ASCENDING, 0, 20),
    ({"_id": {"$exists": True}}, ASCENDING, 0, 5),
]


@pytest.fixture
async def object_id_engines(tmp_path: Path) -> AsyncIterator[tuple[SQLiteEngine, SQLiteEngine]]:
    """Both engines holding documents whose ids are all ObjectIds, written out of order."""
    stock = SQLiteEngine(path=str(tmp_path / "stock.sqlite"))
    ours = sqlite_engine(tmp_path / "ours.sqlite")
    order = [5, 0, 9, 3, 11, 1, 7, 2, 10, 4, 8, 6]
    for engine in (stock, ours):
        await engine.connect()
        await _items(engine).insert_many([{"_id": IDS[n], "n": n} for n in order])
    try:
        yield stock, ours
    finally:
        for engine in (stock, ours):
            await engine.disconnect()


async def _page(engine: SQLiteEngine, query: dict[str, Any], direction: int, skip: int, limit: int) -> list[Any]:
    documents = await _items(engine).find(query, sort=[("_id", direction)], skip=skip, limit=limit).to_list()
    return [document["_id"] for document in documents]


@pytest.mark.parametrize("page", PAGES, ids=[repr(page)[:70] for page in PAGES])
async def test_a_page_in_id_order_is_what_the_stock_engine_returns(
    object_id_engines: tuple[SQLiteEngine, SQLiteEngine], page: tuple[dict[str, Any], int, int, int]
) -> None:
    stock, ours = object_id_engines
    expected = await _page(stock, *page)
    assert await _page(ours, *page) == expected
    assert expected  # each page shows something


async def test_a_page_in_id_order_follows_an_id_of_another_type_written_after_the_first_read(
    object_id_engines: tuple[SQLiteEngine, SQLiteEngine],
) -> None:
    """Ids all ObjectIds is cached per collection; a write must reset it, and a string or
    a number sorts before every ObjectId."""
    stock, ours = object_id_engines
    assert await _page(ours, {}, ASCENDING, 0, 3) == IDS[:3]
    for engine in (stock, ours):
        await _items(engine).insert_many([{"_id": "later", "n": 12}, {"_id": 13, "n": 13}])
    for page in [({}, ASCENDING, 0, 4), ({}, DESCENDING, 0, 20), ({"_id": {"$lt": IDS[1]}}, ASCENDING, 0, 20)]:
        assert await _page(ours, *page) == await _page(stock, *page)
    assert (await _page(ours, {}, ASCENDING, 0, 2)) == [13, "later"]


async def test_counting_every_document_counts_what_the_stock_engine_counts(
    object_id_engines: tuple[SQLiteEngine, SQLiteEngine],
) -> None:
    stock, ours = object_id_engines
    every = {"_id": {"$exists": True}}
    command = {"count": "items", "query": every}
    counts = [(await _items(engine).database.command(command))["n"] for engine in (stock, ours)]
    assert counts == [len(IDS), len(IDS)]


def _query_plans(sql_log: list[str], table_query: Callable[[str], bool], database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return [
            " ".join(str(row[-1]) for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for sql in sql_log
            if table_query(sql)
        ]
    finally:
        connection.close()


@pytest.fixture
def sql_log(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement the engines opened afterwards run, expanded with its parameters."""
    statements: list[str] = []
    connect = sqlite3.connect

    def logged(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", logged)
    return statements


def _reads_documents(sql: str) -> bool:
    return sql.lstrip().startswith("SELECT document") and "FROM documents" in sql


async def test_a_batched_read_by_a_loader_key_searches_the_key_index(tmp_path: Path, sql_log: list[str]) -> None:
    engine = sqlite_engine(tmp_path / "ours.sqlite")
    await engine.connect()
    try:
        items = AsyncMongoClient(engine)["db"]["items"]
        await items.create_index([("k", ASCENDING), ("_id", ASCENDING)], name="k")
        await items.insert_many([{"k": KEYS[n % 3], "n": n} for n in range(30)])
        sql_log.clear()
        assert len(await items.find({"k": {"$in": KEYS[:2]}}).to_list()) == 20
    finally:
        await engine.disconnect()
    plans = _query_plans(sql_log, _reads_documents, tmp_path / "ours.sqlite")
    assert plans, sql_log
    assert all("SEARCH documents USING INDEX" in plan and "<expr>=?" in plan for plan in plans), plans


async def _plans_of_reads(tmp_path: Path, sql_log: list[str], reads: Callable[[Any], Awaitable[None]]) -> list[str]:
    """The query plans of the statements ``reads`` runs on our engine, over one document
    per id of ``IDS``."""
    engine = sqlite_engine(tmp_path / "ours.sqlite")
    await engine.connect()
    try:
        items = AsyncMongoClient(engine)["db"]["items"]
        await items.insert_many([{"_id": key, "n": n} for n, key in enumerate(IDS)])
        sql_log.clear()
        await reads(items)
    finally:
        await engine.disconnect()
    return _query_plans(sql_log, _reads_documents, tmp_path / "ours.sqlite")


async def test_a_batched_read_by_id_searches_the_primary_key(tmp_path: Path, sql_log: list[str]) -> None:
    async def reads(items: Any) -> None:
        assert len(await items.find({"_id": {"$in": IDS[:3]}}).to_list()) == 3
        assert (await items.find_one({"_id": IDS[5]}) or {}).get("n") == 5

    plans = await _plans_of_reads(tmp_path, sql_log, reads)
    assert len(plans) >= 2, sql_log
    assert all("storage_key=?" in plan for plan in plans), plans


async def test_a_page_in_id_order_walks_the_primary_key_and_stops_at_its_limit(
    tmp_path: Path, sql_log: list[str]
) -> None:
    async def reads(items: Any) -> None:
        assert len(await items.find({}, sort=[("_id", ASCENDING)], limit=3).to_list()) == 3
        assert len(await items.find({"_id": {"$gt": IDS[2]}}, sort=[("_id", ASCENDING)], limit=3).to_list()) == 3

    plans = await _plans_of_reads(tmp_path, sql_log, reads)
    assert len(plans) >= 2, sql_log
    assert all("USING INDEX" in plan and "TEMP B-TREE" not in plan for plan in plans), plans


async def test_a_batch_of_more_keys_than_sqlite_binds_parameters_is_answered(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "ours.sqlite")
    await engine.connect()
    try:
        items = AsyncMongoClient(engine)["db"]["items"]
        await items.create_index([("k", ASCENDING), ("_id", ASCENDING)], name="k")
        await items.insert_many([{"_id": key, "k": key} for key in IDS[:2]])
        many = [*IDS[:2], *(ObjectId() for _ in range(SQLITE_MAX_PARAMETERS))]
        assert len(await items.find({"_id": {"$in": many}}).to_list()) == 2
        assert len(await items.find({"k": {"$in": many}}, sort=[("_id", ASCENDING)]).to_list()) == 2
    finally:
        await engine.disconnect()


class _HeartbeatFailedEngine(GraphReadsEngine):
    """An engine whose background heartbeat failed, as mongoeco reports it: on disconnect."""

    async def disconnect(self) -> None:
        await super().disconnect()
        raise sqlite3.OperationalError("database is locked")


async def test_a_heartbeat_failure_reported_on_closing_is_one_line_and_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = _HeartbeatFailedEngine(path=str(tmp_path / "ours.sqlite"))
    await engine.connect()
    await AsyncMongoClient(engine)["db"]["items"].insert_one({"_id": IDS[0]})
    await close_engine(engine)
    assert capsys.readouterr().err.strip() == (
        "edugraph db: closed; a background heartbeat had failed before (database is locked)"
    )
    reopened = sqlite_engine(tmp_path / "ours.sqlite")
    await reopened.connect()
    try:
        assert await AsyncMongoClient(reopened)["db"]["items"].count_documents({}) == 1
    finally:
        await close_engine(reopened)
