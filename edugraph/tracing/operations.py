"""The Strawberry extension that traces GraphQL operations.

Strawberry ships ``OpenTelemetryExtension``, but it makes every field's resolver a
coroutine with a span (only default attribute resolvers are skipped), records the whole
query text, names every operation "GraphQL Query", reports no errors, and does not make
the operation span current, so the DataLoader and MongoDB spans would not hang under it.
This one spans the operation, its parsing and validation, and only the resolvers that
wait on something (return an awaitable): the root fields by default, every such
resolver with ``EDUGRAPH_TRACE_RESOLVERS=all``. Trivial fields cost one test each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from inspect import isawaitable
from typing import Any

from graphql import GraphQLResolveInfo
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from edugraph.errors import error_code
from edugraph.logs import current_request
from edugraph.metrics import current_tally

# A response with hundreds of errors should not make a span of hundreds of events.
MAX_ERROR_EVENTS = 20


class OperationSpans(SchemaExtension):
    def __init__(self, *, tracer: Tracer, all_resolvers: bool = False) -> None:
        self._tracer = tracer
        self._all_resolvers = all_resolvers

    def on_operation(self) -> Iterator[None]:
        span = self._tracer.start_span(
            "GraphQL operation", context=_caller_context(self.execution_context), kind=SpanKind.SERVER
        )
        request = current_request()
        if request is not None:
            span.set_attribute("edugraph.request_id", request.request_id)
        token = otel_context.attach(trace.set_span_in_context(span))
        try:
            yield
        finally:
            otel_context.detach(token)
            _describe(span, self.execution_context)
            span.end()

    def on_parse(self) -> Iterator[None]:
        span = self._tracer.start_span("graphql.parse")
        yield
        span.end()

    def on_validate(self) -> Iterator[None]:
        span = self._tracer.start_span("graphql.validate")
        yield
        span.end()

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        if info.path.prev is not None and not self._all_resolvers:
            return _next(root, info, *args, **kwargs)
        result = _next(root, info, *args, **kwargs)
        if not isawaitable(result):
            return result
        path = ".".join(str(key) for key in info.path.as_list())
        span = self._tracer.start_span(
            f"{info.parent_type.name}.{info.field_name}",
            attributes={
                "graphql.field.name": info.field_name,
                "graphql.field.path": path,
                "graphql.field.parent_type": info.parent_type.name,
            },
        )
        return _awaited_in(span, result)


async def _awaited_in(span: Span, awaitable: Awaitable[Any]) -> Any:
    token = otel_context.attach(trace.set_span_in_context(span))
    try:
        return await awaitable
    except Exception as error:
        span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        raise
    finally:
        otel_context.detach(token)
        span.end()


def _caller_context(execution_context: ExecutionContext) -> otel_context.Context | None:
    """The trace the caller (a gateway, a front end) sent in ``traceparent``, if any."""
    request = getattr(execution_context.context, "request", None)
    headers = getattr(request, "headers", None)
    return propagate.extract(headers) if headers is not None else None


def _describe(span: Span, execution_context: ExecutionContext) -> None:
    """Name the span after the operation and record its outcome, errors and MongoDB work."""
    name = execution_context.operation_name
    try:
        kind: str | None = execution_context.operation_type.value
    except Exception:  # no document (it did not parse) or no such operation in it
        kind = None
    if name:
        span.set_attribute("graphql.operation.name", name)
    if kind:
        span.set_attribute("graphql.operation.type", kind)
        span.update_name(f"{kind} {name}" if name else kind)
    tally = current_tally()
    if tally is not None:
        span.set_attribute("edugraph.mongodb.round_trips", tally.round_trips)
        span.set_attribute("edugraph.mongodb.duration_ms", round(tally.seconds * 1000, 3))
    result = execution_context.result
    errors = list(getattr(result, "errors", None) or [])
    codes = sorted({error_code(error) for error in errors})
    span.set_attribute("edugraph.outcome", "error" if errors else "ok")
    if not errors:
        return
    span.set_attribute("edugraph.error_codes", codes)
    span.set_status(Status(StatusCode.ERROR, ", ".join(codes)))
    for error in errors[:MAX_ERROR_EVENTS]:
        span.add_event(
            "graphql.error",
            {
                "graphql.error.code": error_code(error),
                "graphql.error.message": error.message,
                "graphql.error.path": ".".join(str(key) for key in error.path or ()),
            },
        )
