"""The floor's reads: one command each, fetching only the fields the answer shows.

They have the shapes of the service's loaders (by id, many by key, a page per key) but
are called directly, once per collection and nesting level, with every independent read
of a level sent at the same time — what a hand-written endpoint would do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import EMPTY_PAGE, Page, match_keys, page_pipeline

Document = dict[str, Any]
Database = AsyncDatabase[Document]


def unique(keys: Iterable[ObjectId | None]) -> list[ObjectId]:
    """The distinct keys, in first-seen order, without the unset ones."""
    return [key for key in dict.fromkeys(keys) if key is not None]


def projection(fields: Sequence[str]) -> Document:
    return {"_id": 1, **dict.fromkeys(fields, 1)}


async def by_ids(db: Database, collection: str, ids: Sequence[ObjectId], fields: Sequence[str]) -> dict[Any, Document]:
    """The documents with these ids, by id."""
    if not ids:
        return {}
    cursor = db[collection].find(match_keys("_id", ids), projection(fields), batch_size=len(ids))
    return {doc["_id"]: doc for doc in await cursor.to_list()}


async def many_by(
    db: Database, collection: str, field: str, keys: Sequence[ObjectId], fields: Sequence[str]
) -> dict[Any, list[Document]]:
    """Every document whose ``field`` is one of ``keys``, grouped by it, oldest first."""
    grouped: dict[Any, list[Document]] = defaultdict(list)
    if not keys:
        return grouped
    cursor = db[collection].find(
        match_keys(field, keys), projection([field, *fields]), sort=[("_id", 1)], batch_size=1000
    )
    for doc in await cursor.to_list():
        grouped[doc[field]].append(doc)
    return grouped


async def pages_by(
    db: Database, collection: str, field: str, keys: Sequence[ObjectId], first: int, fields: Sequence[str]
) -> dict[Any, Page]:
    """Per key, the total and the first ``first + 1`` documents (by id): one aggregation,
    the service's own (``page_pipeline``), since no other shape reads less."""
    if not keys:
        return {}
    pipeline = page_pipeline(match_keys(field, keys), field, first=first, after=None, fields=("_id", *fields))
    cursor = await db[collection].aggregate(pipeline, batchSize=len(keys))
    return {group["_id"]: Page(total=group["total"], documents=group["documents"]) for group in await cursor.to_list()}


def page_of(pages: dict[Any, Page], key: ObjectId) -> Page:
    return pages.get(key, EMPTY_PAGE)


async def top_level_page(
    db: Database, collection: str, first: int, fields: Sequence[str], where: Document | None = None
) -> list[Document]:
    """The first ``first + 1`` documents of a top-level list, by id."""
    cursor = db[collection].find(where or {}, projection(fields), sort=[("_id", 1)], limit=first + 1)
    return await cursor.to_list()
