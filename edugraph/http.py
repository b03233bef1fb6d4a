"""The HTTP guard in front of GraphQL: body size, CSRF, tokens, time limit.

Each check answers with a JSON error carrying a stable ``code`` before any GraphQL runs:
413 ``PAYLOAD_TOO_LARGE``, 400 ``CSRF_PREVENTION``, 401 ``UNAUTHENTICATED`` (a bad,
expired or wrongly addressed token), 503 ``TIMEOUT``.

CSRF prevention follows Apollo Server's rule: a request a browser may send cross-site
without a preflight (a GET, or a POST whose content type is not JSON) must carry a
header that forces one (``apollo-require-preflight``, ``graphql-require-preflight`` or
``x-apollo-operation-name``); JSON POSTs always preflight, so they need nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edugraph.auth import InvalidToken, TokenVerifier, Viewer
from edugraph.config import Settings
from edugraph.errors import ErrorCode
from edugraph.logs import current_request
from edugraph.persisted import PersistedOperations, Refusal

PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"graphql-require-preflight", b"x-apollo-operation-name")
_JSON_TYPES = (b"application/json", b"application/graphql-response+json")


_operation: ContextVar[dict[str, Any] | None] = ContextVar("edugraph_json_operation", default=None)


def json_operation() -> dict[str, Any] | None:
    """The JSON object the guard decoded from the body of the request being handled (a
    single operation, persisted ids already resolved), or None: the view need not decode
    the body a second time (``GraphQLApp.parse_http_body``)."""
    return _operation.get()


class _TooLarge(Exception):
    pass


def _error_body(code: str, message: str) -> bytes:
    """The JSON of one error with its code, which the request's access line names too."""
    request = current_request()
    if request is not None:
        request.error_codes.append(str(code))
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": str(code)}}]})


def _error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = _error_body(code, message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return status, raw, body


class GraphQLGuard:
    """ASGI middleware for the /graphql endpoint (inside ``edugraph.access.RequestContext``,
    which gives each request its id)."""

    def __init__(self, app: ASGIApp, settings: Settings, persisted: PersistedOperations) -> None:
        self.app = app
        self.settings = settings
        self.verifier = TokenVerifier(settings)
        self.persisted = persisted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        state = scope.setdefault("state", {})

        rejection = self._reject(scope, headers)
        if rejection is None:
            try:
                state["viewer"] = self._viewer(headers)
            except InvalidToken as error:
                rejection = _error_response(
                    401,
                    ErrorCode.UNAUTHENTICATED,
                    f"The bearer token was refused: {error}.",
                    {"www-authenticate": 'Bearer error="invalid_token"'},
                )
        if rejection is not None:
            await _send(send, *rejection)
            return
        try:
            receive, refusal, operation = await self._persisted(scope, receive)
        except _TooLarge:
            await _send(send, *_too_large(self.settings))
            return
        if refusal is not None:
            await _send(send, *_error_response(refusal.status, refusal.code, refusal.message))
            return
        token = _operation.set(operation)

        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.settings.request_timeout_s):
                await self.app(scope, _limited(receive, self.settings.max_body_bytes), tracking_send)
        except _TooLarge:
            if not started:
                await _send(send, *_too_large(self.settings))
        except TimeoutError:
            if not started:
                message = f"The request took longer than {self.settings.request_timeout_s:g} s and was stopped."
                await _send(send, *_error_response(503, ErrorCode.TIMEOUT, message, {"retry-after": "1"}))
        finally:
            _operation.reset(token)

    async def _persisted(self, scope: Scope, receive: Receive) -> tuple[Receive, Refusal | None, dict[str, Any] | None]:
        """Resolve persisted-operation ids into documents, rewriting the request if needed;
        and the operation decoded from a POST's body, when it is one JSON object."""
        if scope["method"] == "GET":
            params = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            payload: dict[str, Any] = {"query": params.get("query"), "documentId": params.get("documentId")}
            if "extensions" in params:
                try:
                    payload["extensions"] = json.loads(params["extensions"])
                except ValueError:
                    return receive, None, None  # Strawberry answers malformed extensions itself
            if not any(payload.values()):
                return receive, None, None  # the GraphiQL page
            refusal = self.persisted.resolve(payload)
            if refusal is None and payload.get("query") and payload["query"] != params.get("query"):
                params["query"] = payload["query"]
                scope["query_string"] = urlencode(params).encode()
            return receive, refusal, None
        body = await _read_body(_limited(receive, self.settings.max_body_bytes))
        try:
            decoded = json.loads(body) if body else None
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict):
            return _replay(body), None, None  # not a single JSON operation: Strawberry judges it
        before = decoded.get("query")
        refusal = self.persisted.resolve(decoded)
        if refusal is None and decoded.get("query") != before:
            body = orjson.dumps(decoded)
        return _replay(body), refusal, decoded

    def _reject(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.settings.max_body_bytes:
            return _too_large(self.settings)
        if self._needs_preflight(scope, headers) and not any(headers.get(h) for h in PREFLIGHT_HEADERS):
            return _error_response(
                400,
                ErrorCode.CSRF_PREVENTION,
                "This request was blocked as a potential cross-site request forgery: send it as a JSON POST, "
                "or add the header 'graphql-require-preflight: 1'.",
            )
        return None

    @staticmethod
    def _needs_preflight(scope: Scope, headers: dict[bytes, bytes]) -> bool:
        if scope["method"] == "GET":
            # The GraphiQL page itself (no operation in the URL) is not an operation.
            return b"query=" in scope.get("query_string", b"")
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        return content_type not in _JSON_TYPES

    def _viewer(self, headers: dict[bytes, bytes]) -> Viewer:
        return self.verifier.viewer_for(headers.get(b"authorization", b"").decode("latin-1") or None)


def _too_large(settings: Settings) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    return _error_response(
        413, ErrorCode.PAYLOAD_TOO_LARGE, f"The request body is larger than {settings.max_body_bytes} bytes."
    )


def _limited(receive: Receive, limit: int) -> Receive:
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge
        return message

    return limited_receive


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


_CODES_BY_STATUS = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED, 413: ErrorCode.PAYLOAD_TOO_LARGE}


def http_error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """An HTTP error raised by Strawberry's view or Starlette's routing (a body that is not
    JSON, no query, an unknown path, a method not taken…) as JSON with a stable code, like
    every other error the service answers, rather than a plain-text line."""
    code = _CODES_BY_STATUS.get(status, ErrorCode.BAD_REQUEST if status < 500 else ErrorCode.INTERNAL_SERVER_ERROR)
    return Response(_error_body(code, message), status, dict(headers or {}), media_type="application/json")


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
