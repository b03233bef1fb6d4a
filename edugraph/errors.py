"""Error codes clients can rely on, and the extension that puts one on every error.

Every error in a response carries ``extensions.code`` from ``ErrorCode`` (the names
Apollo Server uses where one exists), so clients branch on a stable code rather than
on message text. Unexpected exceptions are reported with a generic message: their
details belong in the server log, not in a public response.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from pymongo.errors import ConnectionFailure, ExecutionTimeout, NetworkTimeout
from strawberry.extensions import SchemaExtension

logger = logging.getLogger("edugraph.errors")
_SUGGESTION = re.compile(r" ?Did you mean .*\?$")


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    CSRF_PREVENTION = "CSRF_PREVENTION"
    TIMEOUT = "TIMEOUT"
    BAD_REQUEST = "BAD_REQUEST"  # an HTTP request with no operation to run (not JSON, no query…)
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"


def _about_argument(code: ErrorCode, argument: str | None) -> dict[str, Any]:
    return {"code": code.value} if argument is None else {"code": code.value, "argument": argument}


def error_code(error: GraphQLError) -> str:
    """The ``extensions.code`` of an error in a response (``UNKNOWN`` before ``ErrorCodes`` saw it)."""
    return str((error.extensions or {}).get("code", "UNKNOWN"))


class BadUserInput(GraphQLError):
    """An argument the client sent cannot be used: a malformed id or cursor, a bad page size."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message, extensions=_about_argument(ErrorCode.BAD_USER_INPUT, argument))


class NotFound(GraphQLError):
    """The id names nothing there is (where a nullable field cannot just answer null)."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message, extensions=_about_argument(ErrorCode.NOT_FOUND, argument))


class Forbidden(GraphQLError):
    """The caller is known but may not see or do this."""

    def __init__(self, message: str = "You are not allowed to see or do this.") -> None:
        super().__init__(message, extensions={"code": ErrorCode.FORBIDDEN.value})


class Unauthenticated(GraphQLError):
    """This needs a signed-in caller, and the request carried no token."""

    def __init__(self, message: str = "Sign in (send a bearer token) to see or do this.") -> None:
        super().__init__(message, extensions={"code": ErrorCode.UNAUTHENTICATED.value})


_UNAVAILABLE = (ConnectionFailure, NetworkTimeout, ExecutionTimeout)
SERVICE_UNAVAILABLE_MESSAGE = "The database is unavailable; retry shortly."
INTERNAL_ERROR_MESSAGE = "Internal server error."


def _coded(error: GraphQLError, code: ErrorCode, message: str | None = None) -> GraphQLError:
    extensions = dict(error.extensions or {})
    extensions["code"] = code.value
    return GraphQLError(
        message if message is not None else error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if message is not None else error.original_error,
        extensions=extensions,
    )


def in_document_order(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Field errors in the order of the fields in the document, then of their paths.

    graphql-core lists errors in the order they happen, which for fields loaded
    concurrently is the order their database answers arrive: two runs of one request
    could list the same errors differently. Sorted, the same request always gets the
    same response. Request errors (no path) keep graphql-core's order."""
    if len(errors) < 2 or not all(e.path and e.locations for e in errors):
        return errors
    return sorted(errors, key=_position)


def _position(error: GraphQLError) -> tuple[int, int, tuple[str, ...]]:
    assert error.locations is not None
    assert error.path is not None
    first = error.locations[0]
    # Keys and indices as zero-padded strings: comparable, and indices in numeric order.
    path = tuple(f"{p:012d}" if isinstance(p, int) else p for p in error.path)
    return first.line, first.column, path


def validation_failed(error: GraphQLError, *, hide_suggestions: bool = False) -> GraphQLError:
    """A validation error of a document, coded ``GRAPHQL_VALIDATION_FAILED``.

    The document cache (``edugraph.prepared``) codes each document's validation errors
    when it validates it, once, and keeps them coded: only it knows which errors come
    from validation, so ``ErrorCodes`` needs no hook of its own on every validation.
    In production, "Did you mean …?" would map the schema for anyone who guesses."""
    if (error.extensions or {}).get("code"):
        return error
    message = _SUGGESTION.sub("", error.message) if hide_suggestions else None
    return _coded(error, ErrorCode.GRAPHQL_VALIDATION_FAILED, message)


class ErrorCodes(SchemaExtension):
    """Gives every error of an operation an ``extensions.code`` (validation errors come
    coded from the document cache: ``validation_failed``)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = in_document_order([self._classify(error) for error in result.errors])

    def _classify(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        original_code = (original.extensions or {}).get("code") if isinstance(original, GraphQLError) else None
        if original_code:
            return _coded(error, ErrorCode(original_code))
        if (error.extensions or {}).get("code"):
            return error
        if isinstance(error, GraphQLSyntaxError):
            return _coded(error, ErrorCode.GRAPHQL_PARSE_FAILED)
        if isinstance(original, _UNAVAILABLE):
            logger.warning("MongoDB unavailable: %s", original)
            return _coded(error, ErrorCode.SERVICE_UNAVAILABLE, SERVICE_UNAVAILABLE_MESSAGE)
        if error.path is None and (original is None or isinstance(original, GraphQLError)):
            # graphql-core reports variables it could not coerce this way, before any resolver runs.
            return _coded(error, ErrorCode.BAD_USER_INPUT)
        request_id = self._request_id()
        logger.error("Unexpected error at %s (request %s)", error.path, request_id, exc_info=original)
        coded = _coded(error, ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE)
        if request_id is not None:
            # The client quotes it; the full error is in the server's log under it.
            coded.extensions = {**(coded.extensions or {}), "requestId": request_id}
        return coded

    def _request_id(self) -> str | None:
        request = getattr(self.execution_context.context, "request", None)
        state = getattr(request, "state", None)
        request_id = getattr(state, "request_id", None)
        return request_id if isinstance(request_id, str) else None
