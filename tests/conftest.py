"""Shared fixtures: one seeded database for the session, the app over it, a command counter.

Without ``MONGODB_URI`` the database is the embedded server started as its own process
(``edugraph db --seed``), reached through PyMongo over a socket, as in production. With
``MONGODB_URI`` set the same suite runs against that real MongoDB, in a database of its own.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from helpers import Sessions
from opentelemetry.sdk.trace import TracerProvider
from pymongo import monitoring
from services import free_port, start_edugraph, stop

from edugraph.auth import Role, development_token
from edugraph.config import Settings
from edugraph.server import create_app
from edugraph.store.connection import open_client
from edugraph.store.embedded import EmbeddedServer
from edugraph.store.seed import DEFAULT_SCALE, DEFAULT_SEED_NUMBER, seed_database

TEST_DATABASE = "edugraph_test"
TEST_SCALE = DEFAULT_SCALE


@dataclass
class Store:
    uri: str
    database: str
    scale: float
    seed_number: int


@pytest.fixture(scope="session")
async def store(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    uri = os.environ.get("MONGODB_URI")
    if uri:
        client = open_client(uri, timeout_ms=10_000)
        try:
            await seed_database(
                client[TEST_DATABASE], scale=TEST_SCALE, seed_number=DEFAULT_SEED_NUMBER, progress=False
            )
        finally:
            await client.close()
        yield Store(uri, TEST_DATABASE, TEST_SCALE, DEFAULT_SEED_NUMBER)
        return
    server = EmbeddedServer(
        data_dir=tmp_path_factory.mktemp("embedded"),
        database=TEST_DATABASE,
        seed=True,
        seed_scale=TEST_SCALE,
        seed_number=DEFAULT_SEED_NUMBER,
        progress=False,
    )
    try:
        yield Store(server.start(), TEST_DATABASE, TEST_SCALE, DEFAULT_SEED_NUMBER)
    finally:
        server.stop()


@dataclass
class CommandCounter(monitoring.CommandListener):
    """Counts the commands the driver sends: one per MongoDB round trip."""

    names: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)
    # Connection set-up and monitoring traffic, not work a query asked for.
    IGNORED = frozenset({"hello", "ismaster", "isMaster", "ping", "endSessions", "saslStart", "saslContinue"})

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in self.IGNORED:
            self.names.append(event.command_name)
            self.collections.append(str(event.command.get(event.command_name)))
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def reset(self) -> None:
        self.names.clear()
        self.collections.clear()
        self.commands.clear()

    @property
    def count(self) -> int:
        return len(self.names)


@pytest.fixture(scope="session")
def command_counter() -> CommandCounter:
    return CommandCounter()


TEST_JWT_SECRET = "edugraph-test-secret-0123456789abcdef"


def settings_for(store: Store, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"EDUGRAPH_JWT_SECRET": TEST_JWT_SECRET, **overrides}
    return Settings(mongodb_uri=store.uri, mongodb_database=store.database, **values)


def token_for(role: Role, **scope: str) -> str:
    """A bearer token the session's app accepts."""
    return development_token(Settings(EDUGRAPH_JWT_SECRET=TEST_JWT_SECRET), role=role, **scope)


@pytest.fixture(scope="session")
async def client(store: Store, command_counter: CommandCounter) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for(store), event_listeners=[command_counter])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
            yield http


@pytest.fixture
async def db(store: Store) -> AsyncIterator[Any]:
    """Direct access to the test database, for checking answers against the data."""
    mongo = open_client(store.uri, timeout_ms=10_000)
    try:
        yield mongo[store.database]
    finally:
        await mongo.close()


class GraphQLClient:
    """Posts operations as one caller: a platform admin unless told otherwise."""

    def __init__(self, http: httpx.AsyncClient, token: str | None) -> None:
        self.http = http
        self.headers = {"authorization": f"Bearer {token}"} if token else {}

    def as_(self, token: str | None) -> GraphQLClient:
        return GraphQLClient(self.http, token)

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a response that must have no errors."""
        body = await self.execute(query, variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error_codes(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        body = await self.execute(query, variables)
        return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client, token_for(Role.PLATFORM_ADMIN, subject="admin"))


CONTRACT_DIR = Path(
    os.environ.get("EDUGRAPH_CONTRACT_DIR", Path(__file__).resolve().parents[2] / "shared" / "contract")
)


def contract(name: str) -> str:
    """An operation of ../shared/contract/, read as the clients send it."""
    return (CONTRACT_DIR / f"{name}.graphql").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repo_root() -> Iterator[Path]:
    return Path(__file__).resolve().parents[1]


@asynccontextmanager
async def app_client(
    store: Store, *, tracer_provider: TracerProvider | None = None, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with its own settings, over the session's database."""
    app = create_app(settings_for(store, **overrides), tracer_provider=tracer_provider)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
            yield http


@pytest.fixture
async def sessions(db: Any) -> AsyncIterator[Sessions]:
    """Exam sessions made for one test, removed with their bookings afterwards."""
    made = Sessions(db)
    try:
        yield made
    finally:
        await made.remove()


@pytest.fixture(scope="session")
def replicas(store: Store) -> Iterator[tuple[int, int]]:
    """Two replicas of the service (``edugraph serve`` processes) over the session's
    database, as behind a load balancer; their ports."""
    env = {
        **os.environ,
        "MONGODB_URI": store.uri,
        "MONGODB_DATABASE": store.database,
        "EDUGRAPH_JWT_SECRET": TEST_JWT_SECRET,
        "EDUGRAPH_LIVE_SEATS_POLL_S": "0.2",
    }
    first = start_edugraph(port_a := free_port(), env)
    try:
        second = start_edugraph(port_b := free_port(), env)
    except BaseException:
        stop(first)
        raise
    try:
        yield port_a, port_b
    finally:
        stop(first, second)
