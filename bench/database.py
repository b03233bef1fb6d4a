"""The seeded embedded database of one scale, in a temporary directory, for one run.

Each run seeds afresh rather than keeping each scale's SQLite file: mongoeco (4.11)
rebuilds every index entry of every document when it opens a file, so reopening a kept
file is slower than seeding a new one (at scale 0.002 here: 43 s against 26 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from edugraph.store.collections import SEED_META
from edugraph.store.connection import open_client
from edugraph.store.embedded import EmbeddedServer

DATABASE = "edugraph_bench"
SEED_TIMEOUT_S = 3600.0
"""Seeding 0.1 of the brief takes 12 to 13 minutes here (mongoeco's inserts slow down as
collections grow); larger scales are not expected to finish in an hour."""


@dataclass(frozen=True)
class Database:
    """The embedded server of one scale, running."""

    uri: str
    scale: float
    process: psutil.Process
    documents: int
    seed_seconds: float
    """From starting the server to its listening, seeding included."""


async def count_documents(uri: str) -> int:
    """The documents the seed wrote, from its own record of them."""
    client = open_client(uri, timeout_ms=10_000)
    try:
        meta = await client[DATABASE][SEED_META].find_one({})
        counts = (meta or {}).get("counts")
        return sum(counts.values()) if isinstance(counts, dict) else 0
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def seeded_database(scale: float) -> AsyncIterator[Database]:
    with tempfile.TemporaryDirectory(prefix="edugraph-bench-") as data_dir:
        server = EmbeddedServer(
            data_dir=Path(data_dir),
            database=DATABASE,
            seed=True,
            seed_scale=scale,
            progress=False,
            start_timeout_s=SEED_TIMEOUT_S,
        )
        started = time.perf_counter()
        uri = await asyncio.to_thread(server.start)
        seconds = time.perf_counter() - started
        try:
            assert server.pid is not None
            yield Database(
                uri=uri,
                scale=scale,
                process=psutil.Process(server.pid),
                documents=await count_documents(uri),
                seed_seconds=seconds,
            )
        finally:
            await asyncio.to_thread(server.stop)
