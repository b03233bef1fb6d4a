"""The ASGI application: GraphQL at /graphql, GraphiQL's files, health and readiness probes.

``create_app(settings)`` builds one app per call, so tests and several workers each get
their own database client, opened and closed by the Starlette lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from pymongo.errors import PyMongoError
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage, SubscribeMessage
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from edugraph.access import OperationLog, RequestContext
from edugraph.auth import ANONYMOUS, InvalidToken, TokenVerifier
from edugraph.config import Settings
from edugraph.context import Context, new_context
from edugraph.graphiql import GraphiQLAssets, GraphiQLPage
from edugraph.http import PREFLIGHT_HEADERS, GraphQLGuard, http_error_response, json_operation
from edugraph.loaders.base import LoaderRegistry
from edugraph.logs import configure_logging
from edugraph.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from edugraph.metrics import Metrics, RoundTripListener
from edugraph.persisted import PersistedOperations, load_trusted_documents
from edugraph.policy import AccessPolicy
from edugraph.schema import build_schema
from edugraph.store.cache import TTLCache
from edugraph.store.connection import open_client, ping
from edugraph.store.embedded import EmbeddedServer
from edugraph.store.indexes import ensure_indexes
from edugraph.store.seat_feed import SeatFeed
from edugraph.tracing import Tracing

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

logger = logging.getLogger("edugraph.server")


class UTF8JSONResponse(JSONResponse):
    """JSON with Chinese text as UTF-8 characters, not ``\\u`` escapes."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


class _TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with the HTTP endpoint's rules on persisted operations: an
    operation sent by id or hash is resolved, and trusted-documents mode holds here too."""

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        view = self.view
        assert isinstance(view, GraphQLApp)
        payload: dict[str, Any] = dict(message.get("payload") or {})
        refusal = view.persisted.resolve(payload)
        if refusal is not None:
            error = GraphQLError(refusal.message, extensions={"code": refusal.code})
            await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[error.formatted]))
            return
        await super().handle_subscribe({**message, "payload": payload})  # type: ignore[typeddict-item]


class _TextWebSocketAdapter(ASGIWebSocketAdapter):
    """graphql-transport-ws messages as text frames. Strawberry sends bytes as binary
    frames, and a browser hands those to its client (graphql-ws) as Blobs, which it
    cannot parse: GraphiQL's subscriptions failed with "Message is missing the 'type'"."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view with a typed per-request context, orjson encoding and the
    GraphQL-over-HTTP media type: clients that accept ``application/graphql-response+json``
    get it, with status 400 for requests that could not run (parse, validation, variables).

    Subscriptions speak graphql-transport-ws only (the older subscriptions-transport-ws
    protocol is unmaintained); the token comes in the connection_init payload."""

    graphql_transport_ws_handler_class = _TransportWSHandler
    websocket_adapter_class = _TextWebSocketAdapter

    def __init__(
        self,
        state: AppState,
        schema: strawberry.Schema,
        persisted: PersistedOperations,
        *,
        graphiql: GraphiQLPage | None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=state.settings.cors_origins,
        )
        self._state = state
        self.persisted = persisted
        self._verifier = TokenVerifier(state.settings)
        self._graphiql = graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry's, but an ``HTTPException`` is answered as JSON with a stable code."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            response = http_error_response(error.status_code, error.reason)
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page, from local assets, instead of Strawberry's CDN-loaded one."""
        if self._graphiql is None:  # Strawberry asks only when graphql_ide is set
            return Response(status_code=404)
        return self._graphiql.response()

    async def get_context(self, request: Any, response: Any) -> Context:
        return new_context(
            self._state.database(),
            self._state.statistics_cache,
            self._state.settings,
            viewer=request.state.viewer if hasattr(request.state, "viewer") else ANONYMOUS,
            metrics=self._state.metrics,
            tracer=self._state.tracer(),
            request=request,
            response=response,
            seat_feed=self._state.seat_feed,
        )

    async def on_ws_connect(self, context: Context) -> None:
        """Who the WebSocket's caller is, from ``Authorization`` in the connection_init
        payload (browsers cannot set headers on a WebSocket); a bad token closes it with 4403."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        authorization = params.get("Authorization", params.get("authorization"))
        try:
            viewer = self._verifier.viewer_for(authorization if isinstance(authorization, str) else None)
        except InvalidToken as error:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED", "message": str(error)}) from None
        context.viewer = viewer
        context.loaders = LoaderRegistry(
            context.db, AccessPolicy(context.db, viewer), self._state.metrics, self._state.tracer()
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

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Strawberry's, but a plain JSON POST's operation is the one the HTTP guard has
        already decoded (``json_operation``), not parsed again along with its content type.

        Only a POST whose content type is ``application/json`` and whose ``Accept`` could
        not ask for a streamed answer (multipart or server-sent events) takes this way;
        every other request, a batch or a body that is not JSON, is Strawberry's to read.
        ``tests/test_http.py`` checks both ways answer alike."""
        operation = json_operation()
        if operation is None or request.method != "POST" or not _plain_json_post(request.headers):
            return await super().parse_http_body(request)
        return _request_data(operation)


def _accepts_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")


def _plain_json_post(headers: Mapping[str, str]) -> bool:
    """A JSON body that Strawberry reads as one operation answered in one response."""
    if headers.get("content-type", "").split(";", 1)[0].strip() != "application/json":
        return False
    accept = headers.get("accept", "").lower()
    return "multipart" not in accept and "event-stream" not in accept


def _request_data(operation: dict[str, Any]) -> GraphQLRequestData:
    """The operation of a JSON object, refused as Strawberry's ``parse_http_body`` refuses it."""
    query = operation.get("query")
    if not isinstance(query, str | None):
        raise HTTPException(400, "The GraphQL operation's `query` must be a string or null, if provided.")
    variables = operation.get("variables")
    if not isinstance(variables, dict | None):
        raise HTTPException(400, "The GraphQL operation's `variables` must be an object or null, if provided.")
    extensions = operation.get("extensions")
    if not isinstance(extensions, dict | None):
        raise HTTPException(400, "The GraphQL operation's `extensions` must be an object or null, if provided.")
    return GraphQLRequestData(
        query=query,
        variables=variables,
        operation_name=operation.get("operationName"),
        extensions=extensions,
        protocol="http",
    )


class AppState:
    """What the lifespan opens: the embedded server (if any) and the database client;
    and what it closes: those, and the tracing (sending the spans still queued)."""

    def __init__(
        self,
        settings: Settings,
        event_listeners: Sequence[CommandListener],
        tracing: Tracing | None = None,
        database_view: Callable[[Any], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.event_listeners = event_listeners
        self.database_view = database_view
        self.embedded: EmbeddedServer | None = None
        self.statistics_cache = TTLCache(settings.statistics_ttl_s)
        self.metrics = Metrics()
        self.tracing = tracing
        self.client: Any = None
        self._database: Any = None
        self.seat_feed: SeatFeed | None = None
        self.schema: strawberry.Schema | None = None

    def tracer(self) -> Tracer | None:
        return self.tracing.tracer if self.tracing is not None else None

    def observers(self) -> list[Any]:
        """The schema extensions that watch operations, outermost first: the metrics' tally
        must outlive the others, which read it; the operation span encloses the log."""
        observers: list[Any] = [self.metrics.extension()]
        if self.tracing is not None:
            observers.append(self.tracing.extension())
        observers.append(partial(OperationLog, slow_ms=self.settings.slow_operation_ms))
        return observers

    def database(self) -> Any:
        """The database every request reads through: made once (PyMongo makes a new
        database object on each ``client[name]``, and every request asks for it)."""
        if self.client is None:
            raise RuntimeError("the application has not started")
        if self._database is None:
            database = self.client[self.settings.mongodb_database]
            self._database = database if self.database_view is None else self.database_view(database)
        return self._database

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
            event_listeners=[*self.event_listeners, RoundTripListener(), *self._tracing_listeners()],
        )
        self.seat_feed = SeatFeed(
            self.database(), mode=self.settings.live_seats, poll_interval_s=self.settings.live_seats_poll_s
        )
        try:
            await ensure_indexes(self.database())
        except PyMongoError as error:
            # Start anyway: /readyz reports the outage and requests answer
            # SERVICE_UNAVAILABLE until MongoDB is back.
            logger.warning("Could not create indexes at start-up: %s", error)

    def _tracing_listeners(self) -> list[CommandListener]:
        return [self.tracing.command_listener()] if self.tracing is not None else []

    async def close(self) -> None:
        if self.seat_feed is not None:
            await self.seat_feed.close()
            self.seat_feed = None
        if self.client is not None:
            await self.client.close()
            self.client = None
            self._database = None
        if self.embedded is not None:
            await asyncio.to_thread(self.embedded.stop)
            self.embedded = None
        if self.tracing is not None:
            await self.tracing.shutdown()


GC_YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation (Python's default: 2,000).

A response's objects (its dictionaries, model objects, lists) all live until it is sent:
collected every 2,000 allocations, most of them are walked, found alive and moved to an
older generation, which is then walked again. Every 10,000, far fewer are; the directory
costs 3 % fewer instructions (callgrind: 26.7 M -> 25.8 M per request), and memory held
by cyclic garbage stays bounded by a few thousand objects more."""


def tune_garbage_collection() -> None:
    """Collect the youngest generation less often (never more often than already set)."""
    young, older, oldest = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, young), older, oldest)


def create_app(
    settings: Settings | None = None,
    *,
    event_listeners: Sequence[CommandListener] = (),
    ready_message: str | None = None,
    tracer_provider: TracerProvider | None = None,
    database_view: Callable[[Any], Any] | None = None,
) -> Starlette:
    """The service; ``ready_message`` is printed once the database is open and requests are served.

    ``database_view`` (benchmarks only) wraps the database every use of it goes through:
    ``bench.remembered`` answers repeated reads from memory with it.

    With tracing on, spans go to ``tracer_provider`` if given (tests pass one with an
    in-memory exporter), else to a provider exporting over OTLP as the settings say.
    """
    settings = settings or Settings()
    state = AppState(settings, event_listeners, Tracing.from_settings(settings, tracer_provider), database_view)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.open()
        tune_garbage_collection()
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

    schema = state.schema = build_schema(settings, observers=state.observers())
    persisted = PersistedOperations(load_trusted_documents(), trusted_only=settings.trusted_documents_only)
    graphiql = GraphiQLPage(settings.graphiql_assets_dir) if settings.graphiql_enabled else None
    view = GraphQLApp(state, schema, persisted, graphiql=graphiql)
    graphql = GraphQLGuard(view, settings, persisted)

    async def metrics(request: Request) -> Response:
        return Response(state.metrics.exposition(), media_type=METRICS_CONTENT_TYPE)

    middleware = [Middleware(RequestContext)]
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
    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if graphiql is not None:
        routes.append(Route("/graphiql/{name}", GraphiQLAssets(settings.graphiql_assets_dir).serve, methods=["GET"]))
    app = Starlette(
        middleware=middleware,
        routes=routes,
        lifespan=lifespan,
        exception_handlers={StarletteHTTPException: _routing_error},
    )
    app.state.edugraph = state
    return app


async def _routing_error(request: Request, error: Exception) -> Response:
    """Starlette's own 404 (no such path) and 405 (a method a path does not take), as JSON
    with a code like the service's other errors."""
    assert isinstance(error, StarletteHTTPException)
    return http_error_response(error.status_code, error.detail, error.headers)


def app_from_environment() -> Starlette:
    """The app of one ``edugraph serve`` worker process (uvicorn's factory): settings
    from the environment, which the ``serve`` command has completed."""
    settings = Settings()
    configure_logging(settings)  # a worker process does not inherit the parent's set-up
    url = f"http://{settings.host}:{settings.port}/graphql"
    where = f"GraphiQL: {url}" if settings.graphiql_enabled else url
    return create_app(settings, ready_message=f"edugraph is ready (worker {os.getpid()}). {where}")
