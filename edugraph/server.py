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
import strawberry
from cross_web import HTTPException
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from edugraph.auth import ANONYMOUS
from edugraph.config import Settings
from edugraph.context import Context, new_context
from edugraph.http import PREFLIGHT_HEADERS, GraphQLGuard
from edugraph.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from edugraph.metrics import Metrics, RoundTripListener
from edugraph.schema import build_schema
from edugraph.store.cache import TTLCache
from edugraph.store.connection import open_client, ping
from edugraph.store.embedded import EmbeddedServer
from edugraph.store.indexes import ensure_indexes

logger = logging.getLogger("edugraph.server")


class UTF8JSONResponse(JSONResponse):
    """JSON with Chinese text as UTF-8 characters, not ``\\u`` escapes."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with a typed per-request context, orjson encoding and the
    GraphQL-over-HTTP media type: clients that accept ``application/graphql-response+json``
    get it, with status 400 for requests that could not run (parse, validation, variables)."""

    def __init__(self, state: AppState, schema: strawberry.Schema, *, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._state = state

    async def get_context(self, request: Any, response: Any) -> Context:
        return new_context(
            self._state.database(),
            self._state.statistics_cache,
            self._state.settings,
            viewer=request.state.viewer if hasattr(request.state, "viewer") else ANONYMOUS,
            metrics=self._state.metrics,
            request=request,
            response=response,
        )

    async def get_sub_response(self, request: Any) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = GRAPHQL_RESPONSE_JSON if _accepts_graphql_response(request) else "application/json"
        return sub_response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if _accepts_graphql_response(request) and result.data is None and all(not e.path for e in result.errors or ()):
            # A request error: the operation never ran, so there is no data entry at all.
            processed.pop("data", None)  # type: ignore[misc]
            request.state.graphql_status = 400
        return processed

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        response.headers["content-type"] = f"{sub_response.media_type}; charset=utf-8"
        return response

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        response = await super().run(request, context, root_value)
        status = getattr(request.state, "graphql_status", None) if isinstance(request, Request) else None
        if status is not None:
            response.status_code = status
        return response

    async def execute_single(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(405, "Mutations are only accepted over POST.") from error
            raise

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def _accepts_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


class AppState:
    """What the lifespan opens: the embedded server (if any) and the database client."""

    def __init__(self, settings: Settings, event_listeners: Sequence[CommandListener]) -> None:
        self.settings = settings
        self.event_listeners = event_listeners
        self.embedded: EmbeddedServer | None = None
        self.statistics_cache = TTLCache(settings.statistics_ttl_s)
        self.metrics = Metrics()
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
            uri,
            timeout_ms=self.settings.mongodb_timeout_ms,
            event_listeners=[*self.event_listeners, RoundTripListener()],
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

    schema = build_schema(settings, observers=[state.metrics.extension()])
    graphql = GraphQLGuard(GraphQLApp(state, schema, graphiql=settings.graphiql_enabled), settings)

    async def metrics(request: Request) -> Response:
        return Response(state.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", *(h.decode() for h in PREFLIGHT_HEADERS)],
                max_age=600,
            )
        )
    app = Starlette(
        middleware=middleware,
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.edugraph = state
    return app
