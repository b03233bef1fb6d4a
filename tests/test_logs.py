"""Structured logs: one access line per request, the request id on every line, slow operations."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import TEST_JWT_SECRET, Store, app_client, contract, settings_for, token_for
from helpers import Sessions
from services import free_port, serving, start_edugraph, stop
from websockets.asyncio.client import connect

from edugraph.auth import Role
from edugraph.config import Settings
from edugraph.logs import RequestRecord, begin_request, configure_logging, end_request, handler
from edugraph.server import create_app

ADMIN = {"authorization": f"Bearer {token_for(Role.PLATFORM_ADMIN, subject='admin')}"}
DIRECTORY = contract("InstitutionsDirectory")


class Captured:
    """The lines the service's log handler wrote."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def lines(self) -> list[str]:
        return self.stream.getvalue().splitlines()

    def records(self, logger: str | None = None) -> list[dict[str, Any]]:
        parsed = [json.loads(line) for line in self.lines()]
        return [record for record in parsed if logger is None or record["logger"] == logger]


def capture(log_format: str) -> Iterator[Captured]:
    """Put the service's handler on the root logger, at INFO, for one test."""
    stream = io.StringIO()
    out = handler(Settings(EDUGRAPH_LOG_FORMAT=log_format), stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(out)
    root.setLevel(logging.INFO)
    try:
        yield Captured(stream)
    finally:
        root.removeHandler(out)
        root.setLevel(level)


@pytest.fixture
def json_logs() -> Iterator[Captured]:
    yield from capture("json")


@pytest.fixture
def text_logs() -> Iterator[Captured]:
    yield from capture("text")


async def test_each_request_writes_one_json_access_line_with_its_request_id(store: Store, json_logs: Captured) -> None:
    async with app_client(store) as http:
        response = await http.post("/graphql", json={"query": DIRECTORY, "variables": {"first": 3}}, headers=ADMIN)
    assert response.status_code == 200
    [line] = json_logs.records("edugraph.access")
    assert line["request_id"] == response.headers["x-request-id"]
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "POST", "/graphql", 200)
    assert line["operation"] == "InstitutionsDirectory"
    assert line["error_codes"] == []
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0
    assert line["time"]
    assert "InstitutionsDirectory" in line["message"]


async def test_the_access_line_names_the_error_codes_of_the_answer(store: Store, json_logs: Captured) -> None:
    async with app_client(store) as http:
        await http.post("/graphql", json={"query": 'query Broken { institution(id: "x") { id } }'}, headers=ADMIN)
        refused = await http.post(
            "/graphql", content=b"query { viewer { role } }", headers={"content-type": "text/plain"}
        )
    assert refused.status_code == 400
    broken, csrf = json_logs.records("edugraph.access")
    assert (broken["operation"], broken["error_codes"]) == ("Broken", ["BAD_USER_INPUT"])
    assert (csrf["status"], csrf["operation"], csrf["error_codes"]) == (400, None, ["CSRF_PREVENTION"])


async def test_the_access_line_names_the_code_of_an_http_error(store: Store, json_logs: Captured) -> None:
    async with app_client(store) as http:
        await http.post("/graphql", json={"variables": {}}, headers=ADMIN)
        await http.get("/nowhere")
    no_query, nowhere = json_logs.records("edugraph.access")
    assert (no_query["status"], no_query["error_codes"]) == (400, ["BAD_REQUEST"])
    assert (nowhere["status"], nowhere["error_codes"]) == (404, ["NOT_FOUND"])


async def test_the_callers_request_id_is_kept_and_a_malformed_one_replaced(store: Store, json_logs: Captured) -> None:
    async with app_client(store) as http:
        kept = await http.get("/healthz", headers={"x-request-id": "gateway-7f3a"})
        replaced = await http.get("/healthz", headers={"x-request-id": "two words"})
    assert kept.headers["x-request-id"] == "gateway-7f3a"
    assert replaced.headers["x-request-id"] not in ("", "two words")


async def test_probes_are_logged_at_debug_only(store: Store, json_logs: Captured) -> None:
    async with app_client(store) as http:
        await http.get("/healthz")
        await http.get("/metrics")
    assert json_logs.records("edugraph.access") == []  # the handler's level is INFO


async def test_a_slow_operation_is_logged_with_its_mongodb_work_and_request_id(
    store: Store, json_logs: Captured
) -> None:
    async with app_client(store, EDUGRAPH_SLOW_OPERATION_MS=0) as http:
        response = await http.post("/graphql", json={"query": DIRECTORY, "variables": {"first": 3}}, headers=ADMIN)
    [slow] = json_logs.records("edugraph.slow")
    assert slow["level"] == "WARNING"
    assert slow["request_id"] == response.headers["x-request-id"]
    assert slow["operation"] == "InstitutionsDirectory"
    assert slow["mongodb_round_trips"] >= 2  # the page, then its relations in batches
    assert slow["mongodb_ms"] > 0
    assert slow["duration_ms"] >= slow["execute_ms"] > 0
    assert {"parse_ms", "validate_ms", "threshold_ms"} <= slow.keys()
    served = [record for record in json_logs.records() if record["logger"].startswith("edugraph.")]
    assert {record["request_id"] for record in served} == {response.headers["x-request-id"]}


async def test_a_fast_operation_is_not_logged_as_slow(store: Store, json_logs: Captured) -> None:
    async with app_client(store, EDUGRAPH_SLOW_OPERATION_MS=60_000) as http:
        await http.post("/graphql", json={"query": DIRECTORY, "variables": {"first": 3}}, headers=ADMIN)
    assert json_logs.records("edugraph.slow") == []
    assert len(json_logs.records("edugraph.access")) == 1


async def test_lines_logged_from_tasks_a_request_starts_carry_its_id(json_logs: Captured) -> None:
    token = begin_request(RequestRecord("req-batch"))
    try:
        await asyncio.create_task(asyncio.to_thread(lambda: None))  # a thread hop keeps nothing
        await asyncio.create_task(_log_from_a_task())
    finally:
        end_request(token)
    logging.getLogger("edugraph.test").info("after the request")
    inside, outside = json_logs.records("edugraph.test")
    assert inside["request_id"] == "req-batch"
    assert "request_id" not in outside


async def _log_from_a_task() -> None:
    logging.getLogger("edugraph.test").info("inside a DataLoader-like task")


async def test_the_text_format_is_one_readable_line_per_record(store: Store, text_logs: Captured) -> None:
    async with app_client(store) as http:
        response = await http.post("/graphql", json={"query": DIRECTORY, "variables": {"first": 3}}, headers=ADMIN)
    [line] = [text for text in text_logs.lines() if " edugraph." in text]
    assert f"[{response.headers['x-request-id']}]" in line
    assert "edugraph.access" in line
    assert "POST /graphql 200" in line
    assert line.endswith("InstitutionsDirectory")


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging changes the process's loggers: put them back afterwards."""
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error", "uvicorn.access")]
    saved = [(logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    switches = {name: getattr(logging, name) for name in GATHERING_SWITCHES}
    try:
        yield
    finally:
        for name, value in switches.items():
            setattr(logging, name, value)
        for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate


GATHERING_SWITCHES = ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing", "logAsyncioTasks")


@pytest.mark.usefixtures("restored_logging")
def test_records_no_longer_gather_what_no_line_prints() -> None:
    """The caller's frame, thread, process and task cost every record a lookup or a system
    call, and neither format prints them."""
    out = configure_logging(Settings(EDUGRAPH_LOG_FORMAT="text"), io.StringIO())
    records: list[logging.LogRecord] = []

    def kept(record: logging.LogRecord) -> bool:
        records.append(record)
        return True

    out.addFilter(kept)
    logging.getLogger("edugraph.test").warning("logged")
    [record] = records
    assert (record.thread, record.threadName, record.process, record.processName, record.taskName) == (None,) * 5
    assert (record.funcName, record.lineno) == ("(unknown function)", 0)


@pytest.mark.usefixtures("restored_logging")
def test_configure_logging_sends_uvicorns_records_through_the_json_handler() -> None:
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)  # as an earlier uvicorn.Config may leave it
    stream = io.StringIO()
    configure_logging(Settings(EDUGRAPH_LOG_FORMAT="json", EDUGRAPH_LOG_LEVEL="INFO"), stream)
    logging.getLogger("uvicorn.error").info("Started server process", extra={"color_message": "\x1b[1mStarted\x1b[0m"})
    logging.getLogger("pymongo.command").debug("below the level")
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert (line["logger"], line["level"], line["message"]) == ("uvicorn.error", "INFO", "Started server process")
    assert "color_message" not in line
    assert not logging.getLogger("uvicorn.access").hasHandlers()  # edugraph.access replaces its lines


def test_edugraph_serve_workers_log_json_lines_only(store: Store, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "MONGODB_URI": store.uri,
        "MONGODB_DATABASE": store.database,
        "EDUGRAPH_LOG_FORMAT": "json",
        "EDUGRAPH_JWT_SECRET": TEST_JWT_SECRET,
    }
    log = tmp_path / "serve.log"
    port = free_port()
    with log.open("wb") as stderr:
        server = start_edugraph(port, env, "--workers", "2", stderr=stderr)
        try:
            response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ viewer { role } }"})
        finally:
            stop(server)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {"uvicorn.error", "edugraph.access"} <= {record["logger"] for record in records}
    access = [record for record in records if record.get("request_id") == response.headers["x-request-id"]]
    assert [(line["logger"], line["method"], line["status"]) for line in access] == [("edugraph.access", "POST", 200)]


async def test_a_websocket_gets_a_request_id_and_one_access_line_without_a_slow_warning(
    store: Store, sessions: Sessions, json_logs: Captured
) -> None:
    session = await sessions.new(capacity=3)
    app = create_app(settings_for(store, EDUGRAPH_SLOW_OPERATION_MS=0))
    subscription = "subscription Seats($s: ID!) { examSessionSeats(sessionId: $s) { booked } }"
    async with serving(app) as port:
        async with connect(
            f"ws://127.0.0.1:{port}/graphql",
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            additional_headers={"x-request-id": "ws-connection-1"},
        ) as connection:
            assert connection.response is not None
            assert connection.response.headers["x-request-id"] == "ws-connection-1"
            await connection.send(json.dumps({"type": "connection_init", "payload": {}}))
            await connection.recv()
            payload = {"query": subscription, "variables": {"s": session}}
            await connection.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            assert json.loads(await connection.recv())["type"] == "next"
        for _ in range(100):  # the line is written once the server has seen the close
            if json_logs.records("edugraph.access"):
                break
            await asyncio.sleep(0.05)
    [line] = [r for r in json_logs.records("edugraph.access") if r["method"] == "WEBSOCKET"]
    assert (line["request_id"], line["status"], line["operation"]) == ("ws-connection-1", 101, "Seats")
    assert json_logs.records("edugraph.slow") == []
