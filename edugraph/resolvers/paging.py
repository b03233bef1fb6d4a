"""Top-level lists: filtered, ordered, keyset-paginated finds with a lazy total.

The total is counted only when a client selects ``totalCount``, so a plain page costs
one ``find``; with the total it costs one more ``count``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document
from edugraph.policy import AccessPolicy, combine, denial
from edugraph.schema.models import nodes_of
from edugraph.schema.pagination import Connection, Cursor, build_connection, check_first, decode_cursor, encode_cursor
from edugraph.store.counting import count_matching

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ordering:
    """A sort of a top-level list: one document field, ties broken by ``_id``."""

    name: str
    field: str | None
    descending: bool = False

    def sort(self) -> list[tuple[str, int]]:
        direction = -1 if self.descending else 1
        keys = [(self.field, direction)] if self.field else []
        return [*keys, ("_id", direction)]

    def after(self, cursor: Cursor) -> Document:
        op = "$lt" if self.descending else "$gt"
        if self.field is None:
            return {"_id": {op: cursor.oid}}
        (value,) = cursor.values
        return {"$or": [{self.field: {op: value}}, {self.field: value, "_id": {op: cursor.oid}}]}

    def cursor_of(self, doc: Document) -> str:
        values = (doc.get(self.field),) if self.field else ()
        return encode_cursor(self.name, values, doc["_id"])


async def find_connection[T](
    db: AsyncDatabase[Document],
    collection: str,
    *,
    where: Document,
    ordering: Ordering,
    first: int | None,
    after: str | None,
    to_node: Callable[[Document], T],
    policy: AccessPolicy,
) -> Connection[T]:
    visible = await policy.row_filter(collection)
    if visible is None:
        raise denial(policy.viewer)
    where = combine(where, visible)
    size = check_first(first)
    cursor = decode_cursor(after, ordering.name, arity=0 if ordering.field is None else 1)
    query: dict[str, Any] = dict(where)
    if cursor is not None:
        query = {"$and": [where, ordering.after(cursor)]} if where else ordering.after(cursor)
    documents: list[Document] = []
    if size > 0:
        documents = (
            await db[collection].find(query, sort=ordering.sort(), limit=size + 1, batch_size=size + 1).to_list()
        )

    async def count() -> int:
        return await count_matching(db, collection, where)

    return build_connection(
        documents,
        first=size,
        after_given=cursor is not None,
        total=count,
        to_nodes=nodes_of(to_node),
        cursor_of=ordering.cursor_of,
    )
