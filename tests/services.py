"""Services as processes of their own on loopback ports, as they run deployed."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any

import httpx
import uvicorn
from starlette.types import ASGIApp

START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_answering(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url} exited with {process.returncode}"
        try:
            response = httpx.post(url, json={"query": "{ __typename }"}, timeout=2)
            if response.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {START_TIMEOUT_S} s")


def start_edugraph(
    port: int, env: Mapping[str, str], *args: str, stderr: IO[bytes] | int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """``edugraph serve`` on ``port``, answering once this returns; its log goes to ``stderr``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "edugraph", "serve", "--port", str(port), *args],
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/graphql", process)
    except BaseException:
        stop(process)
        raise
    return process


def stop(*processes: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as an orchestrator sends, then a kill for any that will not go."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@asynccontextmanager
async def serving(app: ASGIApp) -> AsyncIterator[int]:
    """Serve ``app`` with uvicorn in this event loop on a free loopback port."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "uvicorn stopped before it started"
            await asyncio.sleep(0.02)
        yield server.config.port
    finally:
        server.should_exit = True
        await task


def post_graphql(port: int, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
    """The JSON answer of one operation posted to a service process."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    return response.json()


def data_of(body: Any) -> Any:
    assert "errors" not in body, body
    return body["data"]


@contextmanager
def serving_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve a plain ``http.server`` handler on a free loopback port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
