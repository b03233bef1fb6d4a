"""The floor as an HTTP service: ``POST /floor/{operation}`` with the variables as the body.

It runs as its own uvicorn process, like the service, so the harness measures its CPU
per request the same way. No GraphQL, no auth, no limits: PyMongo reads and orjson.

    python -m bench.floor --uri MONGODB_URI --database NAME --port PORT
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import orjson
from pymongo.monitoring import CommandListener
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.floor.alliance import partner_alliance
from bench.floor.fetch import Database, Document
from bench.floor.learner import learner_profile, learners_page
from bench.floor.park import institution_profile, institutions_directory
from bench.floor.statistics import yearly_statistics
from edugraph.store.cache import TTLCache
from edugraph.store.connection import open_client

TIMEOUT_MS = 150_000  # as the service's in the benchmark (bench.targets.DATABASE_TIMEOUT_MS)
STATISTICS_TTL_S = 60.0  # the service's default EDUGRAPH_STATISTICS_TTL_S

Build = Callable[[Database, dict[str, Any]], Awaitable[Document]]


def builders(statistics_cache: TTLCache) -> dict[str, Build]:
    """The operation each path serves, by the operation's name."""

    async def statistics(db: Database, variables: dict[str, Any]) -> Document:
        return await yearly_statistics(db, variables, statistics_cache)

    return {
        "InstitutionsDirectory": institutions_directory,
        "InstitutionProfile": institution_profile,
        "LearnerProfile": learner_profile,
        "PartnerAlliance": partner_alliance,
        "LearnersPage": learners_page,
        "YearlyStatistics": statistics,
    }


def json_response(value: Any, status_code: int = 200) -> Response:
    return Response(orjson.dumps(value), status_code=status_code, media_type="application/json")


def create_floor_app(
    uri: str,
    database: str,
    *,
    statistics_ttl_s: float = STATISTICS_TTL_S,
    event_listeners: Sequence[CommandListener] = (),
) -> Starlette:
    build = builders(TTLCache(statistics_ttl_s))
    databases: list[Database] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        client = open_client(uri, timeout_ms=TIMEOUT_MS, event_listeners=event_listeners)
        databases.append(client[database])
        try:
            yield
        finally:
            databases.clear()
            await client.close()

    async def serve(request: Request) -> Response:
        operation = build.get(request.path_params["operation"])
        if operation is None:
            return json_response({"errors": [{"message": "no such operation"}]}, status_code=404)
        return json_response({"data": await operation(databases[0], orjson.loads(await request.body()))})

    async def healthz(request: Request) -> Response:
        return json_response({"status": "ok"})

    routes = [Route("/floor/{operation}", serve, methods=["POST"]), Route("/healthz", healthz)]
    return Starlette(routes=routes, lifespan=lifespan)


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description="the benchmark's floor: contract JSON straight from PyMongo")
    parser.add_argument("--uri", required=True, help="MongoDB connection string")
    parser.add_argument("--database", required=True, help="database name")
    parser.add_argument("--port", type=int, required=True, help="port to listen on (127.0.0.1)")
    parser.add_argument("--statistics-ttl-s", type=float, default=STATISTICS_TTL_S, help="statistics cache TTL")
    args = parser.parse_args(argv)
    app = create_floor_app(args.uri, args.database, statistics_ttl_s=args.statistics_ttl_s)
    # log_level "info" logs each request, as `edugraph serve` does, so both pay the same.
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="info")
    return 0
