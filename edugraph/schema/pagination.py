"""Relay-style connections: page arguments, opaque cursors, and the connection types.

Cursors are URL-safe base64 of a small JSON array naming the ordering and the sort
position, so they stay valid while the data changes (keyset pagination, not offsets),
and a cursor from one ordering is refused by another instead of skipping rows.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from bson import ObjectId
from bson.errors import InvalidId

from edugraph.context import Info
from edugraph.errors import BadUserInput
from edugraph.execution.later import awaited
from edugraph.loaders.base import Document, Page
from edugraph.loaders.batch import Loader
from edugraph.schema.models import blank, nodes_of
from edugraph.schema.relations import Relation

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
ID_ORDER = "id"

T = TypeVar("T")

FIRST_DESCRIPTION = (
    f"How many items to return, from 0 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). "
    "Use 0 to ask for `totalCount` alone."
)
AFTER_DESCRIPTION = "Return the items after this cursor: an `endCursor` or edge `cursor` from a previous page."


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise BadUserInput(f"Argument 'first' must be between 0 and {MAX_PAGE_SIZE}; got {first}.", argument="first")
    return first


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$date": value.isoformat()}
    return value


def _from_jsonable(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$date"} and isinstance(value["$date"], str):
        return datetime.fromisoformat(value["$date"])
    return value


def encode_cursor(order: str, values: Sequence[Any], oid: ObjectId) -> str:
    raw = json.dumps([order, [_jsonable(v) for v in values], str(oid)], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class Cursor:
    """A decoded cursor: the sort values of the last item seen, then its ``_id``."""

    values: tuple[Any, ...]
    oid: ObjectId


_SCALARS = (str, int, float)


def decode_cursor(cursor: str | None, order: str, *, arity: int = 0) -> Cursor | None:
    """The position a cursor names, checked: its ordering, its number of sort values, and
    that each value is a plain string, number or date — so a forged cursor can never smuggle
    a MongoDB operator into the page query."""
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values, oid = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != order or not isinstance(values, list) or len(values) != arity:
            raise ValueError(name)
        decoded = tuple(_from_jsonable(v) for v in values)
        if not all(isinstance(v, (*_SCALARS, datetime)) and not isinstance(v, bool) for v in decoded):
            raise ValueError(values)
        return Cursor(values=decoded, oid=ObjectId(oid))
    except (ValueError, TypeError, InvalidId, binascii.Error, UnicodeDecodeError):
        raise BadUserInput(f"Argument 'after' is not a cursor of this list: '{cursor}'.", argument="after") from None


@strawberry.type(description="Where a page sits in its list, and the cursors to move on from it.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="True when this page was fetched with `after`, so items come before it."
    )
    start_cursor: str | None = strawberry.field(description="The cursor of the first item, null on an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last item: pass it as `after` to fetch the next page."
    )


@strawberry.type(description="One item of a page together with its cursor.")
class Edge[T]:
    cursor: str = strawberry.field(description="Opaque position of this item; pass it as `after` to continue.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description=(
        "A page of a list that can grow without bound. Ask for `nodes` for the items, or "
        "`edges` when you need each item's cursor; `totalCount` counts the whole list."
    )
)
class Connection[T]:
    """Up to ``first + 1`` fetched documents, turned into nodes, edges and cursors only when
    a client asks for them: a page of nodes costs no cursor encoding at all."""

    _documents: strawberry.Private[list[Document]]
    _first: strawberry.Private[int]
    _after_given: strawberry.Private[bool]
    _total: strawberry.Private[int | Callable[[], Awaitable[int]]]
    _to_nodes: strawberry.Private[Callable[[list[Document]], list[T]]]
    _cursor_of: strawberry.Private[Callable[[Document], str]]
    _nodes: strawberry.Private[list[T] | None] = None

    @strawberry.field(description="The items of this page, each with its cursor.")
    def edges(self) -> list[Edge[T]]:
        cursor_of = self._cursor_of
        return [
            Edge(cursor=cursor_of(doc), node=node) for doc, node in zip(self._shown(), self._node_list(), strict=True)
        ]

    @strawberry.field(description="The items of this page.")
    def nodes(self) -> list[T]:
        return self._node_list()

    @strawberry.field(description="Cursors and whether more items follow.")
    def page_info(self) -> PageInfo:
        shown = self._shown()
        return PageInfo(
            has_next_page=len(self._documents) > self._first,
            has_previous_page=self._after_given,
            start_cursor=self._cursor_of(shown[0]) if shown else None,
            end_cursor=self._cursor_of(shown[-1]) if shown else None,
        )

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    def total_count(self) -> int:
        if isinstance(self._total, int):
            return self._total
        return awaited(self._total())

    def _shown(self) -> list[Document]:
        return self._documents[: self._first]

    def _node_list(self) -> list[T]:
        """The nodes, made once: ``nodes`` and ``edges`` share them."""
        if self._nodes is None:
            self._nodes = self._to_nodes(self._documents[: self._first])  # _shown(), inlined
        return self._nodes


def build_connection[T](
    documents: list[Document],
    *,
    first: int,
    after_given: bool,
    total: int | Callable[[], Awaitable[int]],
    to_nodes: Callable[[list[Document]], list[T]],
    cursor_of: Callable[[Document], str],
) -> Connection[T]:
    """A connection from up to ``first + 1`` fetched documents; ``to_nodes`` makes the
    nodes of a list of documents (``models.nodes_of``)."""
    # One is made per parent of a nested connection (a page of 50 institutions makes 50
    # course connections): made without the dataclass's keyword ``__init__``.
    connection: Connection[T] = blank(Connection)
    connection.__dict__ = {
        "_documents": documents,
        "_first": first,
        "_after_given": after_given,
        "_total": total,
        "_to_nodes": to_nodes,
        "_cursor_of": cursor_of,
        "_nodes": None,
    }
    return connection


def id_cursor(doc: Document) -> str:
    return encode_cursor(ID_ORDER, (), doc["_id"])


def page_to_connection[T](request: PageRequest, to_node: Callable[[Document], T]) -> Callable[[Page], Connection[T]]:
    """What makes a nested connection (ordered by id) of a paged loader's answer."""
    first, after_given, to_nodes = request.first, request.after is not None, nodes_of(to_node)

    def to_connection(page: Page) -> Connection[T]:
        return build_connection(
            page.documents,
            first=first,
            after_given=after_given,
            total=page.total,
            to_nodes=to_nodes,
            cursor_of=id_cursor,
        )

    return to_connection


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Checked page arguments of a nested connection."""

    first: int
    after: ObjectId | None

    @staticmethod
    def parse(first: int | None, after: str | None) -> PageRequest:
        """The checked arguments; the same arguments give the same (immutable) answer, so a
        nested connection's arguments are checked and decoded once, not once per parent."""
        return _page_request(first, after)


@functools.lru_cache(maxsize=1024)
def _page_request(first: int | None, after: str | None) -> PageRequest:
    cursor = decode_cursor(after, ID_ORDER)
    return PageRequest(first=check_first(first), after=cursor.oid if cursor else None)


def paged[T](
    attribute: str,
    loader: Callable[[Info, PageRequest], Loader[Any, Page]],
    to_node: Callable[[], Callable[[Document], T]],
) -> Relation[Connection[T]]:
    """A nested connection of the pages ``loader`` gives for the parent's key, as a
    ``Relation`` (for a resolver taking ``info``, ``first`` and ``after``)."""

    def prepare(kwargs: dict[str, Any]) -> tuple[Loader[Any, Page], Callable[[Page], Connection[T]]]:
        request = PageRequest.parse(kwargs.get("first"), kwargs.get("after"))
        return loader(kwargs["info"], request), page_to_connection(request, to_node())

    return Relation(attribute, prepare)
