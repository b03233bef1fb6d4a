"""What every resolver can reach: the database and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import strawberry
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.auth import ANONYMOUS, Viewer
from edugraph.config import Settings
from edugraph.loaders.base import Document, LoaderRegistry
from edugraph.metrics import Metrics
from edugraph.policy import AccessPolicy
from edugraph.store.cache import TTLCache
from edugraph.store.seat_feed import SeatFeed

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer


@dataclass
class Context:
    """Built once per request by the server, so loader caches never cross requests."""

    db: AsyncDatabase[Document]
    loaders: LoaderRegistry
    statistics_cache: TTLCache
    settings: Settings
    viewer: Viewer = ANONYMOUS
    request: Any = None
    response: Any = None
    seat_feed: SeatFeed | None = None
    # Set by Strawberry on WebSocket connections: the connection_init payload.
    connection_params: Any = None


def new_context(
    db: AsyncDatabase[Document],
    statistics_cache: TTLCache,
    settings: Settings,
    *,
    viewer: Viewer = ANONYMOUS,
    metrics: Metrics | None = None,
    tracer: Tracer | None = None,
    request: Any = None,
    response: Any = None,
    seat_feed: SeatFeed | None = None,
) -> Context:
    return Context(
        db=db,
        loaders=LoaderRegistry(db, AccessPolicy(db, viewer), metrics, tracer, batching=settings.batching),
        statistics_cache=statistics_cache,
        settings=settings,
        viewer=viewer,
        request=request,
        response=response,
        seat_feed=seat_feed,
    )


def start_afresh(context: object) -> None:
    """Give a request's context new, empty DataLoaders: an operation run again from the
    start then loads in the same order, and reports its errors in the same order, as
    if it had run only once."""
    if isinstance(context, Context):
        context.loaders = context.loaders.fresh()


Info = strawberry.Info[Context, None]
