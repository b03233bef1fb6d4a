"""What the logs say about each request: its id, one access line, and slow operations.

``RequestContext`` is the outermost middleware: it takes the caller's ``x-request-id``
(or makes one), returns it on the response, makes the request current for the log
filter (``edugraph.logs``) and, once the response is sent, writes one access line:
method, path, status, duration, operation name and error codes. Probes and scrapes
(/healthz, /readyz, /metrics) are logged at DEBUG, so they do not drown the rest.

``OperationLog`` is the schema extension that tells the access line which operation
ran and which error codes it answered, and logs a WARNING for an operation slower than
``EDUGRAPH_SLOW_OPERATION_MS``, with its phases and MongoDB round trips and time.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from edugraph.errors import error_code
from edugraph.logs import RequestRecord, begin_request, current_request, end_request
from edugraph.metrics import current_tally

access_logger = logging.getLogger("edugraph.access")
slow_logger = logging.getLogger("edugraph.slow")
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
MAX_REQUEST_ID = 64


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's ``x-request-id`` if it is a short printable token, else a new one."""
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if 0 < len(text) <= MAX_REQUEST_ID and text.isascii() and text.isprintable() and " " not in text:
                return text
            break
    return uuid.uuid4().hex


class RequestContext:
    """ASGI middleware around the whole app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        record = RequestRecord(request_id)
        token = begin_request(record)
        header = (b"x-request-id", request_id.encode())
        # If the app fails before answering, the server answers 500; a WebSocket closed
        # before it was accepted is refused with 403.
        status = 500 if scope["type"] == "http" else 403
        close_code: int | None = None
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, close_code
            kind = message["type"]
            if kind in ("http.response.start", "websocket.http.response.start"):
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), header]}
            elif kind == "websocket.accept":
                status = 101
                message = {**message, "headers": [*message.get("headers", []), header]}
            elif kind == "websocket.close":
                close_code = message.get("code", 1000)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, time.perf_counter() - started, record, close_code)
            end_request(token)


def _log_access(
    scope: Scope, status: int, seconds: float, record: RequestRecord, close_code: int | None = None
) -> None:
    """One line per HTTP request, and per WebSocket connection when it ends (its
    subscriptions as the operations, and the code it closed with)."""
    path: str = scope["path"]
    level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
    if not access_logger.isEnabledFor(level):
        return
    method = scope.get("method", "WEBSOCKET")
    operation = ",".join(record.operations) or None
    codes = sorted(set(record.error_codes))
    duration_ms = round(seconds * 1000, 1)
    extra: dict[str, object] = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": duration_ms,
        "operation": operation,
        "error_codes": codes,
    }
    if close_code is not None:
        extra["close_code"] = close_code
    access_logger.log(
        level,
        "%s %s %s %.1f ms%s%s%s",
        method,
        path,
        status,
        duration_ms,
        f" {operation}" if operation else "",
        f" errors={','.join(codes)}" if codes else "",
        f" closed={close_code}" if close_code is not None else "",
        extra=extra,
    )


class OperationLog(SchemaExtension):
    def __init__(self, *, slow_ms: float) -> None:
        self._slow_ms = slow_ms
        self._phases: dict[str, float] = {}
        self._named = False

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        milliseconds = (time.perf_counter() - started) * 1000
        context = self.execution_context
        name = self._record_name()
        codes = [error_code(error) for error in getattr(context.result, "errors", None) or ()]
        request = current_request()
        if request is not None:
            request.error_codes.extend(codes)
        # A subscription's operation lasts as long as the client listens: not slowness.
        if milliseconds >= self._slow_ms and context.operation_type is not OperationType.SUBSCRIPTION:
            self._log_slow(name, milliseconds, codes)

    def on_parse(self) -> Iterator[None]:
        yield from self._timed("parse")

    def on_validate(self) -> Iterator[None]:
        yield from self._timed("validate")

    def on_execute(self) -> Iterator[None]:
        # Named here, parsed and about to run: a subscription's operation ends only when
        # its client leaves, and the connection's access line must name it all the same.
        self._record_name()
        yield from self._timed("execute")

    def _record_name(self) -> str:
        name = self.execution_context.operation_name or "anonymous"
        request = current_request()
        if not self._named and request is not None:
            request.operations.append(name)
        self._named = True
        return name

    def _timed(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self._phases[phase] = (time.perf_counter() - started) * 1000

    def _log_slow(self, name: str, milliseconds: float, codes: list[str]) -> None:
        tally = current_tally()
        round_trips = tally.round_trips if tally is not None else 0
        mongodb_ms = round(tally.seconds * 1000, 1) if tally is not None else 0.0
        phases = {f"{phase}_ms": round(value, 1) for phase, value in self._phases.items()}
        slow_logger.warning(
            "Slow operation %s: %.1f ms, %d MongoDB round trips taking %.1f ms (%s)",
            name,
            milliseconds,
            round_trips,
            mongodb_ms,
            ", ".join(f"{phase} {value:.1f} ms" for phase, value in self._phases.items()),
            extra={
                "operation": name,
                "duration_ms": round(milliseconds, 1),
                "mongodb_round_trips": round_trips,
                "mongodb_ms": mongodb_ms,
                "threshold_ms": self._slow_ms,
                "error_codes": sorted(set(codes)),
                **phases,
            },
        )
