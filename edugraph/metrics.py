"""Prometheus metrics: what operations clients run, how they fare, what they cost.

Each app has its own registry (several apps in one process — tests — must not share
counters). Under ``edugraph serve --workers N`` the command sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start: each worker then writes its
samples to files there, and whichever worker answers ``/metrics`` adds up all of them,
so a scrape through the shared port sees the whole service, not one worker's share.

Round trips are counted by a PyMongo command listener into the current request's
tally, found through a context variable: the DataLoader tasks a request starts inherit it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from pymongo import monitoring
from strawberry.extensions import SchemaExtension

from edugraph.errors import error_code

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_TRIP_BUCKETS = (0, 1, 2, 4, 8, 12, 16, 24, 32, 64)


@dataclass
class Tally:
    """The MongoDB work of one request."""

    round_trips: int = 0
    seconds: float = 0.0
    started: dict[int, float] = field(default_factory=dict)


SERIES_CAPACITY = 1_000
"""Children of one metric whose label values are remembered (operation names come from clients)."""


class Series[M: (Counter, Histogram)]:
    """One labelled metric's ``labels()``, remembered.

    prometheus_client checks and converts the label values and takes a lock on every
    ``labels()`` call, though the child it returns for the same values never changes:
    the four calls every operation makes cost 17 Python-level calls (cProfile). The first
    ``SERIES_CAPACITY`` children are kept by their values; beyond them, ``labels()`` is
    asked every time, as before."""

    __slots__ = ("_children", "_labels")

    def __init__(self, metric: M) -> None:
        self._labels: Callable[..., M] = metric.labels
        self._children: dict[tuple[str, ...], M] = {}

    def __call__(self, *values: str) -> M:
        child = self._children.get(values)
        if child is None:
            child = self._labels(*values)
            if len(self._children) < SERIES_CAPACITY:
                self._children[values] = child
        return child


_current: ContextVar[Tally | None] = ContextVar("edugraph_request_tally", default=None)


def current_tally() -> Tally | None:
    """The MongoDB work of the operation running now (None outside one): for logs and traces."""
    return _current.get()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "edugraph_requests", "GraphQL operations served", ["operation", "outcome"], registry=self.registry
        )
        self.latency = Histogram(
            "edugraph_request_seconds",
            "Time to answer an operation",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter("edugraph_errors", "Errors in responses, by code", ["code"], registry=self.registry)
        self.round_trips = Histogram(
            "edugraph_mongodb_round_trips",
            "MongoDB commands per operation",
            ["operation"],
            buckets=_TRIP_BUCKETS,
            registry=self.registry,
        )
        self.mongodb_seconds = Histogram(
            "edugraph_mongodb_seconds",
            "Time spent waiting on MongoDB per operation",
            ["operation"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.batch_sizes = Histogram(
            "edugraph_dataloader_batch_size",
            "Keys per DataLoader batch",
            ["collection"],
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
            registry=self.registry,
        )
        self.requests_of = Series(self.requests)
        self.latency_of = Series(self.latency)
        self.errors_of = Series(self.errors)
        self.round_trips_of = Series(self.round_trips)
        self.mongodb_seconds_of = Series(self.mongodb_seconds)
        self.batch_sizes_of = Series(self.batch_sizes)

    def exposition(self) -> bytes:
        if os.environ.get(MULTIPROCESS_DIR):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)

    def extension(self) -> type[SchemaExtension]:
        metrics = self

        class OperationMetrics(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                tally = Tally()
                token = _current.set(tally)
                started = time.perf_counter()
                try:
                    yield
                finally:
                    _current.reset(token)
                    context = self.execution_context
                    name = context.operation_name or "anonymous"
                    result = context.result
                    errors = list(getattr(result, "errors", None) or [])
                    metrics.requests_of(name, "error" if errors else "ok").inc()
                    metrics.latency_of(name).observe(time.perf_counter() - started)
                    metrics.round_trips_of(name).observe(tally.round_trips)
                    metrics.mongodb_seconds_of(name).observe(tally.seconds)
                    for error in errors:
                        metrics.errors_of(error_code(error)).inc()

        return OperationMetrics


class RoundTripListener(monitoring.CommandListener):
    """Adds every command to the tally of the request that sent it."""

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        tally = _current.get()
        if tally is not None:
            tally.round_trips += 1
            tally.started[event.request_id] = time.perf_counter()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._finish(event)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._finish(event)

    @staticmethod
    def _finish(event: Any) -> None:
        tally = _current.get()
        if tally is not None and event.request_id in tally.started:
            tally.seconds += time.perf_counter() - tally.started.pop(event.request_id)


def observe_batch(metrics: Metrics | None, collection: str, size: int) -> None:
    if metrics is not None:
        metrics.batch_sizes_of(collection).observe(size)
