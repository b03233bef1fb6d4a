"""The graphql-js target's data: what InstitutionsDirectory reads, copied out of MongoDB once.

Each collection the directory touches, every document, ordered by ``_id``, with only the
fields the directory's answer is made from (those the service's loaders read for it):
ObjectIds become their 24-hex strings, everything else is kept as stored. The server
(``server.mjs``) indexes it at start; public ids, enum names, pages and cursors it makes
per request, as the service does, so none of that is in the file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.store import collections as c

Document = dict[str, Any]
Snapshot = dict[str, list[Document]]

FIELDS: dict[str, tuple[str, ...]] = {
    c.INSTITUTIONS: ("name", "kind"),
    c.COURSES: ("institution_id", "title"),
    c.COURSE_RESOURCES: ("course_id", "kind"),
    c.ALLIANCE_MEMBERSHIPS: ("institution_id", "alliance_id"),
    c.ALLIANCES: ("name",),
    c.CERTIFICATION_CENTRES: ("host_institution_id", "name"),
}
"""Per collection, the fields read besides ``_id``: foreign keys and the fields shown."""


def plain(doc: Document) -> Document:
    """The document as JSON can hold it: ObjectIds as 24-hex strings."""
    return {key: str(value) if isinstance(value, ObjectId) else value for key, value in doc.items()}


async def read(db: AsyncDatabase[Document], collection: str) -> list[Document]:
    projection = {"_id": 1, **dict.fromkeys(FIELDS[collection], 1)}
    cursor = db[collection].find({}, projection, sort=[("_id", 1)], batch_size=1000)
    return [plain(doc) async for doc in cursor]


async def snapshot(db: AsyncDatabase[Document]) -> Snapshot:
    """Every collection of ``FIELDS``, by its name, read at the same time."""
    lists = await asyncio.gather(*(read(db, collection) for collection in FIELDS))
    return dict(zip(FIELDS, lists, strict=True))


async def write_snapshot(db: AsyncDatabase[Document], path: Path) -> int:
    """Write the snapshot to ``path`` as JSON; the number of documents in it."""
    data = await snapshot(db)
    await asyncio.to_thread(path.write_bytes, orjson.dumps(data))
    return sum(len(documents) for documents in data.values())
