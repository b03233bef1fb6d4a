"""`edugraph serve` as run for real: several workers, SIGTERM, the embedded database.

Each test starts the command as a process of its own and stops it the way an
orchestrator does (SIGTERM), so what is checked is what a deployment sees.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil
import pytest
from conftest import TEST_JWT_SECRET, Store, contract, token_for
from helpers import Sessions
from services import data_of, free_port, post_graphql, start_edugraph, stop
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from edugraph.auth import Role

ADMIN = token_for(Role.PLATFORM_ADMIN, subject="admin")
EXIT_TIMEOUT_S = 60


def service_env(store: Store | None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "EDUGRAPH_JWT_SECRET": TEST_JWT_SECRET, **extra}
    env.pop("MONGODB_URI", None)
    if store is not None:
        env |= {"MONGODB_URI": store.uri, "MONGODB_DATABASE": store.database}
    return env


@pytest.fixture
def two_workers(store: Store) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = start_edugraph(port, service_env(store), "--workers", "2")
    try:
        yield process, port
    finally:
        stop(process)


def post(port: int, query: str, variables: dict[str, Any] | None = None) -> Any:
    return data_of(post_graphql(port, query, variables, ADMIN))


def serving_workers(supervisor: subprocess.Popen[bytes]) -> list[psutil.Process]:
    """The supervisor's children that hold the listening socket: uvicorn's workers."""
    return [
        child
        for child in psutil.Process(supervisor.pid).children()
        if any(c.status == psutil.CONN_LISTEN for c in child.net_connections(kind="tcp"))
    ]


def test_serve_runs_the_asked_number_of_worker_processes(
    two_workers: tuple[subprocess.Popen[bytes], int],
) -> None:
    supervisor, port = two_workers
    assert len(serving_workers(supervisor)) == 2
    assert post(port, "{ __typename }") == {"__typename": "Query"}


def test_a_request_in_flight_at_sigterm_is_answered_before_the_workers_exit(
    two_workers: tuple[subprocess.Popen[bytes], int],
) -> None:
    supervisor, port = two_workers
    body = orjson.dumps({"query": contract("InstitutionsDirectory"), "variables": {"first": 5}})
    head = (
        f"POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer {ADMIN}\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        # Half the body now: the request has started and cannot finish before SIGTERM.
        connection.sendall(head + body[: len(body) // 2])
        time.sleep(0.5)
        supervisor.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        assert supervisor.poll() is None, "the service exited with a request in flight"
        connection.sendall(body[len(body) // 2 :])
        response = read_response(connection)
    assert response.startswith(b"HTTP/1.1 200"), response[:200]
    assert b'"institutions"' in response
    assert supervisor.wait(EXIT_TIMEOUT_S) == 0
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def read_response(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_writes_to_the_embedded_database_survive_a_restart(tmp_path: Path) -> None:
    env = service_env(None, EDUGRAPH_DATA_DIR=str(tmp_path), EDUGRAPH_SEED_SCALE="0.0005")
    port = free_port()
    process = start_edugraph(port, env)
    try:
        session, learner = a_session_and_a_learner(port)
        booked = post(port, contract("BookDegreeLanguageExam"), {"sessionId": session["id"], "learnerId": learner})
        assert booked["bookDegreeLanguageExam"]["errors"] == []
    finally:
        stop(process)
    assert process.returncode == 0
    assert not database_processes(tmp_path), "the embedded server outlived the service"

    process = start_edugraph(port, env)
    try:
        after = post(port, "query($id: ID!) { examSession(id: $id) { booked } }", {"id": session["id"]})
    finally:
        stop(process)
    assert after["examSession"]["booked"] == session["booked"] + 1


def a_session_and_a_learner(port: int) -> tuple[dict[str, Any], str]:
    learners = post(port, "{ learners(first: 1) { nodes { id } } }")["learners"]["nodes"]
    for year in range(2020, 2027):
        sessions = post(port, "query($y: Int!) { examSessions(year: $y) { id booked capacity } }", {"y": year})
        free = [s for s in sessions["examSessions"] if s["booked"] < s["capacity"]]
        if free:
            return free[0], learners[0]["id"]
    raise AssertionError("the demo data has no exam session with a free seat")


def database_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if str(data_dir) in " ".join(process.info["cmdline"] or ()):
            found.append(process)
    return found


async def test_open_subscriptions_are_closed_as_service_restart_at_sigterm(store: Store, sessions: Sessions) -> None:
    session = await sessions.new(capacity=2)
    port = free_port()
    process = start_edugraph(port, service_env(store, EDUGRAPH_SHUTDOWN_TIMEOUT_S="30"))
    try:
        async with connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"]) as connection:  # type: ignore[list-item]
            await connection.send(json.dumps({"type": "connection_init", "payload": {}}))
            await connection.recv()
            subscribe = {"query": "subscription($s: ID!) { examSessionSeats(sessionId: $s) { booked } }"}
            await connection.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {**subscribe, "variables": {"s": session}}})
            )
            await connection.recv()
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(connection.recv(), EXIT_TIMEOUT_S)
        assert connection.close_code == 1012  # service restart: clients reconnect elsewhere
        assert await asyncio.to_thread(process.wait, EXIT_TIMEOUT_S) == 0
        assert time.monotonic() - started < 30, "the shutdown waited for the subscription instead of closing it"
    finally:
        stop(process)


def test_metrics_add_up_every_worker(two_workers: tuple[subprocess.Popen[bytes], int]) -> None:
    supervisor, port = two_workers
    clients = connections_on_both_workers(supervisor, port)
    try:
        for client in clients:
            for _ in range(3):
                assert client.post("/graphql", json={"query": "query Probe { __typename }"}).status_code == 200
        served = 3 * len(clients)
        scrapes = {probe_count(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text) for _ in range(4)}
    finally:
        for client in clients:
            client.close()
    assert scrapes == {served}


def connections_on_both_workers(supervisor: subprocess.Popen[bytes], port: int) -> list[httpx.Client]:
    """Keep-alive connections until each worker holds at least one (the kernel picks)."""
    clients: list[httpx.Client] = []
    workers = serving_workers(supervisor)
    for _ in range(40):
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"authorization": f"Bearer {ADMIN}"})
        client.post("/graphql", json={"query": "{ __typename }"})
        clients.append(client)
        holders = [
            worker
            for worker in workers
            if any(c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port for c in worker.net_connections("tcp"))
        ]
        if len(holders) == len(workers):
            return clients
    for client in clients:
        client.close()
    raise AssertionError("the kernel gave every connection to one worker")


def probe_count(exposition: str) -> float:
    for line in exposition.splitlines():
        if line.startswith('edugraph_requests_total{operation="Probe",outcome="ok"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_sigterm_while_the_embedded_database_starts_leaves_nothing_behind(tmp_path: Path) -> None:
    env = service_env(None, EDUGRAPH_DATA_DIR=str(tmp_path), EDUGRAPH_PORT=str(free_port()))
    process = subprocess.Popen(
        [sys.executable, "-m", "edugraph", "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + EXIT_TIMEOUT_S
        while not database_processes(tmp_path):
            assert time.monotonic() < deadline, "the embedded server never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(EXIT_TIMEOUT_S) == 0
    finally:
        stop(process)
    deadline = time.monotonic() + 15
    while database_processes(tmp_path):
        assert time.monotonic() < deadline, "the embedded server outlived the service"
        time.sleep(0.1)
