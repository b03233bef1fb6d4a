"""The embedded server's own settings: how long it may take to start, and how it runs
aggregations over more documents than it holds in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from edugraph.store.embedded import EmbeddedServer
from edugraph.store.embedded_engine import sqlite_engine


def test_an_embedded_server_slower_to_start_than_its_timeout_is_stopped_and_reported(tmp_path: Path) -> None:
    server = EmbeddedServer(data_dir=tmp_path, seed=True, seed_scale=0.01, progress=False, start_timeout_s=0.5)
    with pytest.raises(RuntimeError, match="did not start"):
        server.start()
    assert server.pid is None  # stopped, not left seeding in the background


async def test_the_embedded_engine_spills_a_group_over_more_documents_than_it_holds_in_memory(tmp_path: Path) -> None:
    from mongoeco import AsyncMongoClient
    from mongoeco.engines.sqlite import SQLiteEngine

    pipeline = [{"$group": {"_id": {"$mod": ["$n", 2]}, "count": {"$sum": 1}}}]
    documents = [{"n": n} for n in range(30)]
    stock = SQLiteEngine(path=str(tmp_path / "stock.sqlite"), aggregation_materialization_limit=10)
    ours = sqlite_engine(tmp_path / "ours.sqlite", materialization_limit=10)
    for engine in (stock, ours):
        await engine.connect()
        await AsyncMongoClient(engine)["db"]["numbers"].insert_many([dict(doc) for doc in documents])
    try:
        with pytest.raises(Exception, match="materialization budget"):
            await (await AsyncMongoClient(stock)["db"]["numbers"].aggregate(pipeline)).to_list()
        groups = await (await AsyncMongoClient(ours)["db"]["numbers"].aggregate(pipeline)).to_list()
        assert sorted((group["_id"], group["count"]) for group in groups) == [(0, 15), (1, 15)]
    finally:
        for engine in (stock, ours):
            await engine.disconnect()
