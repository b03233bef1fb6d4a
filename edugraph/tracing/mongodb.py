"""A span for every MongoDB command sent while an operation is traced.

A client-level ``CommandListener`` rather than ``opentelemetry-instrumentation-pymongo``:
that package registers a process-wide listener (``pymongo.monitoring.register``) on the
global tracer provider, while each app here has its own provider and adds this listener
to its own client only when tracing is on. PyMongo calls the listener in the task that
sends the command — for a DataLoader batch, inside the batch's span — so the current
span is the right parent. Commands outside any traced operation (start-up, probes) get
no span.
"""

from __future__ import annotations

from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from pymongo import monitoring


class CommandSpans(monitoring.CommandListener):
    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer
        self._open: dict[int, Span] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if not trace.get_current_span().get_span_context().is_valid:
            return
        name = event.command_name
        collection = _collection(event.command, name)
        attributes: dict[str, Any] = {
            "db.system.name": "mongodb",
            "db.namespace": event.database_name,
            "db.operation.name": name,
        }
        if collection is not None:
            attributes["db.collection.name"] = collection
        host, port = event.connection_id
        attributes["server.address"] = host
        if port is not None:
            attributes["server.port"] = port
        span_name = f"{name} {collection}" if collection is not None else name
        self._open[event.request_id] = self._tracer.start_span(span_name, kind=SpanKind.CLIENT, attributes=attributes)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        span = self._open.pop(event.request_id, None)
        if span is not None:
            span.end()

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        span = self._open.pop(event.request_id, None)
        if span is not None:
            failure = event.failure or {}
            code = failure.get("codeName") or failure.get("code")
            if code is not None:
                span.set_attribute("db.response.status_code", str(code))
            span.set_status(Status(StatusCode.ERROR, str(failure.get("errmsg", "command failed"))[:200]))
            span.end()


def _collection(command: Any, name: str) -> str | None:
    """The collection a command works on: its first value for find, aggregate…; ``collection`` for getMore."""
    target = command.get(name)
    if isinstance(target, str):
        return target
    other = command.get("collection")
    return other if isinstance(other, str) else None
