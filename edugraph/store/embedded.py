"""The embedded MongoDB-compatible server: mongoeco's wire server over a SQLite file.

It runs in a process of its own (``edugraph db``), so the service talks to it exactly as
to a real MongoDB — through PyMongo, over a socket — and several service processes can
share one. ``EmbeddedServer`` starts and stops that process for ``edugraph serve`` and
for the tests.

Demo data is loaded in-process, before the server listens: mongoeco's bulk inserts are
fast through its own client but quadratic over the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

READY_PREFIX = "edugraph-db ready "
DATA_FILE = "edugraph.sqlite"
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 15.0


async def run_embedded_server(
    *,
    data_dir: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    database: str = "edugraph",
    seed: bool = False,
    seed_scale: float | None = None,
    seed_number: int | None = None,
    progress: bool = True,
) -> None:
    """Serve until SIGINT or SIGTERM; print ``READY_PREFIX`` and the URI once listening."""
    from mongoeco import AsyncMongoClient
    from mongoeco.wire import AsyncMongoEcoProxyServer

    from edugraph.store.embedded_engine import close_engine, sqlite_engine
    from edugraph.store.indexes import ensure_indexes
    from edugraph.store.seed import DEFAULT_SCALE, DEFAULT_SEED_NUMBER, seed_database

    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    engine = sqlite_engine(data_dir / DATA_FILE)
    client = AsyncMongoClient(engine)
    await engine.connect()
    server = None
    try:
        db = client[database]
        await ensure_indexes(db)
        if seed:
            await seed_database(
                db,
                scale=seed_scale if seed_scale is not None else DEFAULT_SCALE,
                seed_number=seed_number if seed_number is not None else DEFAULT_SEED_NUMBER,
                progress=progress,
            )
        server = AsyncMongoEcoProxyServer(client=client, host=host, port=port)
        address = await server.start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        print(f"{READY_PREFIX}{address.uri}", flush=True)
        await stop.wait()
    finally:
        if server is not None:
            await server.close()
        await close_engine(engine)


class EmbeddedServer:
    """``edugraph db`` as a child process: start it, learn its URI, stop it cleanly."""

    def __init__(
        self,
        *,
        data_dir: Path,
        port: int = 0,
        database: str = "edugraph",
        seed: bool = True,
        seed_scale: float | None = None,
        seed_number: int | None = None,
        progress: bool = True,
        start_timeout_s: float = START_TIMEOUT_S,
    ) -> None:
        """``start_timeout_s`` bounds the wait for the server to listen, seeding included:
        the default suits the demo scales; seeding 0.1 of the brief takes some 13 minutes."""
        self.data_dir = data_dir
        self.port = port
        self.database = database
        self.seed = seed
        self.seed_scale = seed_scale
        self.seed_number = seed_number
        self.progress = progress
        self.start_timeout_s = start_timeout_s
        self.uri: str | None = None
        self._process: subprocess.Popen[str] | None = None

    def command(self) -> list[str]:
        args = [sys.executable, "-m", "edugraph", "db", "--port", str(self.port), "--data", str(self.data_dir)]
        args += ["--database", self.database]
        if self.seed:
            args.append("--seed")
            if self.seed_scale is not None:
                args += ["--scale", repr(self.seed_scale)]
            if self.seed_number is not None:
                args += ["--seed-number", str(self.seed_number)]
        if not self.progress:
            args.append("--no-progress")
        return args

    @property
    def pid(self) -> int | None:
        """The server process's id while it runs (the benchmark measures its CPU)."""
        return self._process.pid if self._process is not None else None

    def start(self) -> str:
        """Start the process and block until it listens; return its MongoDB URI."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # A session of its own: a Ctrl-C meant for the service must not stop the database
        # under requests that are still finishing; whoever started it stops it last.
        self._process = subprocess.Popen(
            self.command(), stdout=subprocess.PIPE, text=True, env=env, start_new_session=True
        )
        ready = threading.Event()
        lines: list[str] = []

        def read() -> None:
            assert self._process is not None
            assert self._process.stdout is not None
            for line in self._process.stdout:
                lines.append(line)
                if line.startswith(READY_PREFIX):
                    ready.set()
            ready.set()  # the process ended: wake the waiter, which then reports it

        threading.Thread(target=read, name="edugraph-db-stdout", daemon=True).start()
        if not ready.wait(self.start_timeout_s) or not lines or not lines[-1].startswith(READY_PREFIX):
            self.stop()
            raise RuntimeError(f"the embedded MongoDB server did not start: {''.join(lines)[-2000:]}")
        self.uri = lines[-1][len(READY_PREFIX) :].strip()
        self.port = int(self.uri.split(":")[2].split("/")[0])
        return self.uri

    def stop(self) -> None:
        """Ask the process to stop (it flushes its file), and kill it if it will not."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(STOP_TIMEOUT_S)
        if process.stdout is not None:
            process.stdout.close()
