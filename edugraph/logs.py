"""Logging: one format for every logger (ours, uvicorn's, PyMongo's), and the request id on each line.

``EDUGRAPH_LOG_FORMAT=json`` writes one JSON object a line (python-json-logger's orjson
formatter: a plain ``logging.Formatter``, so uvicorn's and the driver's loggers come out
the same way with no change to how anything logs, and Chinese text stays readable);
``text`` is for a terminal. Fields passed as ``extra=`` become JSON keys.

The request being handled is a context variable set by ``edugraph.access``; the filter
copies its id onto every record logged while it runs — by a resolver, a DataLoader
batch task or the driver — and the current trace id when tracing is on.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, Any

from opentelemetry import trace
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.orjson import OrjsonFormatter

from edugraph.config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ("levelname", "name", "message")
JSON_NAMES = {"levelname": "level", "name": "logger"}
UVICORN_ACCESS = "uvicorn.access"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", UVICORN_ACCESS)
# uvicorn adds its message again with terminal colour codes; JSON wants it once, plain.
NOT_FIELDS = (*RESERVED_ATTRS, "color_message")


@dataclass(slots=True)
class RequestRecord:
    """What the access line says about one request, filled in while it is handled."""

    request_id: str
    operations: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)


_current: ContextVar[RequestRecord | None] = ContextVar("edugraph_request", default=None)


def current_request() -> RequestRecord | None:
    return _current.get()


def begin_request(record: RequestRecord) -> Any:
    """Make ``record`` the current request; returns the token ``end_request`` takes."""
    return _current.set(record)


def end_request(token: Any) -> None:
    _current.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` (and ``trace_id``/``span_id`` inside a trace) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current.get()
        if request is not None:
            record.request_id = request.request_id
        span_context = trace.get_current_span().get_span_context()
        if span_context.is_valid:
            record.trace_id = format(span_context.trace_id, "032x")
            record.span_id = format(span_context.span_id, "016x")
        return True


def formatter(json: bool) -> logging.Formatter:
    if json:
        return OrjsonFormatter(
            " ".join(f"%({name})s" for name in JSON_FIELDS),
            rename_fields=JSON_NAMES,
            reserved_attrs=NOT_FIELDS,
            timestamp="time",  # ISO 8601 in UTC
        )
    return logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"})


def handler(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """The one handler every log line goes through."""
    out = logging.StreamHandler(stream if stream is not None else sys.stderr)
    out.setFormatter(formatter(settings.log_json))
    out.addFilter(RequestContextFilter())
    return out


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> logging.Handler:
    """Send the root logger, and uvicorn's loggers through it, to one ``handler``
    (idempotent: each ``serve`` worker process calls it again).

    Run uvicorn with ``log_config=None`` afterwards, so it keeps this set-up.
    """
    # Gathered for every record by default, printed by neither format (the JSON one leaves
    # LogRecord's own attributes out): the logging HOWTO's "Optimization" switches.
    logging._srcfile = None  # the caller's file, line and function: a walk up the stack
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.logAsyncioTasks = False  # type: ignore[attr-defined]  # 3.12+, not in typeshed yet
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    out = handler(settings, stream)
    root.addHandler(out)
    root.setLevel(settings.log_level)
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.setLevel(logging.NOTSET)  # the root's level, whatever uvicorn set before
        # uvicorn writes its access line only if this logger has a handler: edugraph.access replaces it.
        uvicorn_logger.propagate = name != UVICORN_ACCESS
    return out
