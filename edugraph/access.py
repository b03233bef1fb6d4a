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
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope["headers"])
        scope.setdefault("state", {})["request_id"] = request_id
        record = RequestRecord(request_id)
        token = begin_request(record)
        header = (b"x-request-id", request_id.encode())
        status = 500  # if the app fails before answering, the server answers 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, time.perf_counter() - started, record)
            end_request(token)


def _log_access(scope: Scope, status: int, seconds: float, record: RequestRecord) -> None:
    path: str = scope["path"]
    level = logging.DEBUG if path in QUIET_PATHS else logging.INFO
    if not access_logger.isEnabledFor(level):
        return
    operation = ",".join(record.operations) or None
    codes = sorted(set(record.error_codes))
    duration_ms = round(seconds * 1000, 1)
    access_logger.log(
        level,
        "%s %s %s %.1f ms%s%s",
        scope["method"],
        path,
        status,
        duration_ms,
        f" {operation}" if operation else "",
        f" errors={','.join(codes)}" if codes else "",
        extra={
            "method": scope["method"],
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
            "operation": operation,
            "error_codes": codes,
        },
    )


class OperationLog(SchemaExtension):
    def __init__(self, *, slow_ms: float) -> None:
        self._slow_ms = slow_ms
        self._phases: dict[str, float] = {}

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        milliseconds = (time.perf_counter() - started) * 1000
        context = self.execution_context
        name = context.operation_name or "anonymous"
        codes = [error_code(error) for error in getattr(context.result, "errors", None) or ()]
        request = current_request()
        if request is not None:
            request.operations.append(name)
            request.error_codes.extend(codes)
        if milliseconds >= self._slow_ms:
            self._log_slow(name, milliseconds, codes)

    def on_parse(self) -> Iterator[None]:
        yield from self._timed("parse")

    def on_validate(self) -> Iterator[None]:
        yield from self._timed("validate")

    def on_execute(self) -> Iterator[None]:
        yield from self._timed("execute")

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
