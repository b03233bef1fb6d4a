"""MongoDB going away: clear errors within seconds, 503 from /readyz, recovery without restart."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from edugraph.config import Settings
from edugraph.server import create_app
from edugraph.store.embedded import EmbeddedServer

QUERY = {"query": "{ institutions(first: 1) { totalCount } }"}
TIMEOUT_MS = 1500


@pytest.fixture
def database(tmp_path: Path) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(data_dir=tmp_path, seed=False, progress=False)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def http(database: EmbeddedServer) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(mongodb_uri=database.uri, mongodb_database="outage", mongodb_timeout_ms=TIMEOUT_MS)
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as client:
            yield client


async def test_requests_answer_service_unavailable_within_seconds_then_recover(
    http: httpx.AsyncClient, database: EmbeddedServer
) -> None:
    assert (await http.post("/graphql", json=QUERY)).json() == {"data": {"institutions": {"totalCount": 0}}}

    database.stop()
    started = time.monotonic()
    response = await http.post("/graphql", json=QUERY)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "Traceback" not in response.text
    assert elapsed < 3 * TIMEOUT_MS / 1000 + 2

    ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["code"] == "SERVICE_UNAVAILABLE"

    database.start()  # same port, same data file
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if (await http.get("/readyz")).status_code == 200:
            break
    assert (await http.get("/readyz")).status_code == 200
    assert (await http.post("/graphql", json=QUERY)).json() == {"data": {"institutions": {"totalCount": 0}}}
