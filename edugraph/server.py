"""The ASGI application: GraphQL at /graphql, health and readiness probes.

``create_app(settings)`` builds one app per call, so tests and several workers each get
their own database client, opened and closed by the Starlette lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

import orjson
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from edugraph.config import Settings
from edugraph.context import Context, new_context
from edugraph.schema import schema
from edugraph.store.cache import TTLCache
from edugraph.store.connection import open_client, ping
from edugraph.store.embedded import EmbeddedServer
from edugraph.store.indexes import ensure_indexes

logger = logging.getLogger("edugraph.server")


class UTF8JSONResponse(JSONResponse):
    """JSON with Chinese text as UTF-8 characters, not ``\\u`` escapes."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with a typed per-request context and orjson encoding."""

    def __init__(self, state: AppState, *, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._state = state

    async def get_context(self, request: Any, response: Any) -> Context:
        return new_context(
            self._state.database(),
            self._state.statistics_cache,
            self._state.settings,
            request=request,
            response=response,
        )

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


class AppState:
    """What the lifespan opens: the embedded server (if any) and the database client."""

    def __init__(self, settings: Settings, event_listeners: Sequence[CommandListener]) -> None:
        self.settings = settings
        self.event_listeners = event_listeners
        self.embedded: EmbeddedServer | None = None
        self.statistics_cache = TTLCache(settings.statistics_ttl_s)
        self.client: Any = None

    def database(self) -> Any:
        if self.client is None:
            raise RuntimeError("the application has not started")
        return self.client[self.settings.mongodb_database]

    async def open(self) -> None:
        uri = self.settings.mongodb_uri
        if uri is None:
            self.embedded = EmbeddedServer(
                data_dir=self.settings.data_dir,
                seed_scale=self.settings.seed_scale,
                seed_number=self.settings.seed_number,
                database=self.settings.mongodb_database,
            )
            uri = await asyncio.to_thread(self.embedded.start)
        self.client = open_client(
            uri, timeout_ms=self.settings.mongodb_timeout_ms, event_listeners=self.event_listeners
        )
        try:
            await ensure_indexes(self.database())
        except PyMongoError as error:
            # Start anyway: /readyz reports the outage and requests answer
            # SERVICE_UNAVAILABLE until MongoDB is back.
            logger.warning("Could not create indexes at start-up: %s", error)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
            self.embedded = None


def create_app(
    settings: Settings | None = None,
    *,
    event_listeners: Sequence[CommandListener] = (),
    ready_message: str | None = None,
) -> Starlette:
    """The service; ``ready_message`` is printed once the database is open and requests are served."""
    settings = settings or Settings()
    state = AppState(settings, event_listeners)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.open()
        if ready_message:
            print(ready_message, flush=True)
        try:
            yield
        finally:
            await state.close()

    async def healthz(request: Request) -> Response:
        return UTF8JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await ping(state.database())
        except PyMongoError:
            return UTF8JSONResponse({"status": "unavailable", "code": "SERVICE_UNAVAILABLE"}, status_code=503)
        return UTF8JSONResponse({"status": "ready"})

    graphql = GraphQLApp(state, graphiql=settings.graphiql)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.edugraph = state
    return app
