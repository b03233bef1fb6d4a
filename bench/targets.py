"""The things measured side by side, each a process of its own (uvicorn; node for graphql-js).

* ``edugraph``: the service as deployed (``edugraph serve``);
* ``batching off``: the same service with ``EDUGRAPH_BATCHING=false`` — one query per
  key, the N+1 pattern — so the difference is what batching buys;
* ``floor``: ``bench.floor``, the same JSON from direct PyMongo reads and orjson, so the
  difference is what GraphQL (and the service's own work) costs;
* ``in memory``: the service again, its repeated reads answered from memory
  (``bench.remembered``): the GraphQL layer's own cost, with no driver in it;
* ``stock in memory``: the same with ``EDUGRAPH_COMPILED_EXECUTION=false``, so
  graphql-core's executor runs every operation (what Strawberry does out of the box);
* ``graphql-js``: ``bench/graphqljs/server.mjs`` run by node, InstitutionsDirectory only,
  executed by graphql-js over a snapshot of the database held in memory: the issue's
  reference, what a GraphQL layer in JavaScript costs per object.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
from asgi_lifespan import LifespanManager
from pydantic import SecretStr
from pymongo import monitoring
from starlette.types import ASGIApp

from bench.database import DATABASE
from bench.graphqljs.snapshot import write_snapshot
from bench.operations import Operation
from edugraph.config import Settings
from edugraph.store.connection import open_client

EDUGRAPH = "edugraph"
BATCHING_OFF = "batching off"
FLOOR = "floor"
IN_MEMORY = "in memory"
STOCK_IN_MEMORY = "stock in memory"
GRAPHQL_JS = "graphql-js"
TARGETS = (EDUGRAPH, BATCHING_OFF, FLOOR, IN_MEMORY, STOCK_IN_MEMORY, GRAPHQL_JS)
REMEMBERING = (IN_MEMORY, STOCK_IN_MEMORY)
GRAPHQL_JS_DIR = Path(__file__).resolve().parent / "graphqljs"
GRAPHQL_JS_OPERATIONS = frozenset({"InstitutionsDirectory"})
"""The operations graphql-js's schema covers; the harness skips the others for it."""
SNAPSHOT = "snapshot.json"
"""graphql-js's data, written into the target's temporary directory before it starts."""
START_TIMEOUT_S = 120.0
BENCH_SECRET = "edugraph-bench-secret-0123456789abcdef"
"""The service's HS256 key for the run: the harness signs a platform admin's token with it."""
STATISTICS_TTL_S = 3600.0
"""Long enough that "(cached)" stays true for a whole run, in the service and the floor."""
REQUEST_TIMEOUT_S = 600.0
"""The service stops requests after 15 s by default; slow answers are measured instead."""
DATABASE_TIMEOUT_MS = 150_000
"""The service's MongoDB timeout: its reads may take four times this (600 s). By default
a read slower than 10 s answers SERVICE_UNAVAILABLE, and at scale 0.1 the embedded
server takes longer than that over the directory's course resources."""


@dataclass(frozen=True)
class Target:
    """A running target: where to send an operation, and the process to measure."""

    name: str
    base_url: str
    process: psutil.Process
    headers: dict[str, str] = field(default_factory=dict)

    def request(self, operation: Operation) -> tuple[str, dict[str, Any]]:
        """The URL and JSON body that ask this target for ``operation``."""
        path, payload = request_for(self.name, operation)
        return self.base_url + path, payload


def serves(target: str, operation: Operation) -> bool:
    """Whether ``target`` answers ``operation``: every target all of them but graphql-js."""
    return target != GRAPHQL_JS or operation.name in GRAPHQL_JS_OPERATIONS


def graphql_js_missing() -> str | None:
    """Why the graphql-js target cannot start on this machine, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (GRAPHQL_JS_DIR / "node_modules" / "graphql").is_dir():
        return "bench/graphqljs/node_modules is missing (make install)"
    return None


def request_for(target: str, operation: Operation) -> tuple[str, dict[str, Any]]:
    """The path and JSON body that ask ``target`` for ``operation``."""
    if not serves(target, operation):
        raise ValueError(f"{target} does not serve {operation.name}")
    if target == FLOOR:
        return f"/floor/{operation.name}", operation.variables
    return "/graphql", {"query": operation.query, "variables": operation.variables}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def command(
    name: str, *, uri: str, database: str, port: int, workdir: Path | None = None
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment that start target ``name``; graphql-js reads its
    snapshot from ``workdir`` (see ``prepare``)."""
    if name == GRAPHQL_JS:
        if workdir is None:
            raise ValueError("graphql-js needs the directory its snapshot is written to")
        server = str(GRAPHQL_JS_DIR / "server.mjs")
        return ["node", server, "--snapshot", str(workdir / SNAPSHOT), "--port", str(port)], {}
    if name == FLOOR:
        args = ["-m", "bench.floor", "--uri", uri, "--database", database, "--port", str(port)]
        return [sys.executable, *args, "--statistics-ttl-s", str(STATISTICS_TTL_S)], {}
    env = {
        "MONGODB_URI": uri,
        "MONGODB_DATABASE": database,
        "EDUGRAPH_STATISTICS_TTL_S": str(STATISTICS_TTL_S),
        "EDUGRAPH_REQUEST_TIMEOUT_S": str(REQUEST_TIMEOUT_S),
        "MONGODB_TIMEOUT_MS": str(DATABASE_TIMEOUT_MS),
        "EDUGRAPH_BATCHING": "false" if name == BATCHING_OFF else "true",
        "EDUGRAPH_COMPILED_EXECUTION": "false" if name == STOCK_IN_MEMORY else "true",
    }
    if name in REMEMBERING:
        return [sys.executable, "-m", "bench.remembered", "--port", str(port)], env
    return [sys.executable, "-m", "edugraph", "serve", "--port", str(port)], env


async def wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = (await asyncio.to_thread(log.read_text, encoding="utf-8", errors="replace"))[-3000:]
                raise RuntimeError(f"{url}: the process ended with status {process.returncode}:\n{output}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_S:.0f} s")


async def prepare(name: str, *, uri: str, database: str, workdir: Path) -> None:
    """What target ``name`` needs in ``workdir`` before it starts: for graphql-js, the
    snapshot of the database it serves from memory."""
    if name != GRAPHQL_JS:
        return
    client = open_client(uri, timeout_ms=30_000)
    try:
        await write_snapshot(client[database], workdir / SNAPSHOT)
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def running(
    name: str, *, uri: str, database: str, env: dict[str, str], headers: dict[str, str]
) -> AsyncIterator[Target]:
    """Start target ``name`` against the database, yield it once healthy, stop it after."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="edugraph-bench-") as logs:
        await prepare(name, uri=uri, database=database, workdir=Path(logs))
        args, extra = command(name, uri=uri, database=database, port=port, workdir=Path(logs))
        # The access log goes to a file, not a pipe nobody reads (which would block it).
        log = Path(logs) / "target.log"
        with log.open("wb") as sink:
            process = await asyncio.to_thread(
                subprocess.Popen, args, env={**os.environ, **env, **extra}, stdout=sink, stderr=subprocess.STDOUT
            )
        try:
            await wait_until_healthy(f"{base_url}/healthz", process, log)
            yield Target(name, base_url, psutil.Process(process.pid), headers if name != FLOOR else {})
        finally:
            await stop(process)


async def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        await asyncio.to_thread(process.wait, 15)
    except subprocess.TimeoutExpired:
        process.kill()
        await asyncio.to_thread(process.wait, 15)


class CommandCount(monitoring.CommandListener):
    """Counts the commands a driver sends: one per MongoDB round trip."""

    IGNORED = frozenset({"hello", "isMaster", "ismaster", "ping", "endSessions", "saslStart", "saslContinue"})

    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in self.IGNORED:
            self.count += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def round_trips(
    app_with: Callable[[Sequence[monitoring.CommandListener]], ASGIApp],
    path: str,
    payload: dict[str, Any],
    headers: dict[str, str],
) -> int:
    """The commands one answer takes, counted in-process on a second copy of the target
    (``app_with(listeners)``), after one warm-up request."""
    counter = CommandCount()
    async with LifespanManager(app_with([counter])) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=300) as client:
            await client.post(path, json=payload, headers=headers)
            counter.count = 0
            await client.post(path, json=payload, headers=headers)
    return counter.count


async def count_round_trips(target: str, uri: str, path: str, payload: dict[str, Any], headers: dict[str, str]) -> int:
    """The commands one answer of ``target`` takes: none for graphql-js, which reads only
    memory once started (and has no in-process copy); the others' counted by ``round_trips``."""
    if target == GRAPHQL_JS:
        return 0
    return await round_trips(lambda listeners: app_for(target, uri, listeners), path, payload, headers)


def app_for(target: str, uri: str, listeners: Sequence[monitoring.CommandListener]) -> ASGIApp:
    """An in-process copy of ``target``, for counting its round trips (not graphql-js's)."""
    from bench.floor.app import create_floor_app
    from bench.remembered import RememberedReads
    from edugraph.server import create_app

    if target == GRAPHQL_JS:
        raise ValueError("graphql-js has no in-process copy: it sends no command per request")
    if target == FLOOR:
        return create_floor_app(uri, DATABASE, event_listeners=listeners)
    remembered = RememberedReads() if target in REMEMBERING else None
    settings = Settings(
        mongodb_uri=uri,
        mongodb_database=DATABASE,
        mongodb_timeout_ms=DATABASE_TIMEOUT_MS,
        EDUGRAPH_JWT_SECRET=SecretStr(BENCH_SECRET),
        EDUGRAPH_BATCHING=target != BATCHING_OFF,
        EDUGRAPH_COMPILED_EXECUTION=target != STOCK_IN_MEMORY,
        EDUGRAPH_REQUEST_TIMEOUT_S=REQUEST_TIMEOUT_S,
        # This copy runs inside the harness: keep its slow-operation warnings out of the report.
        EDUGRAPH_SLOW_OPERATION_MS=REQUEST_TIMEOUT_S * 1000,
    )
    return create_app(settings, event_listeners=listeners, database_view=remembered)
