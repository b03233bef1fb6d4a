"""What a write path answers: the record it made or changed, or an expected failure.

The answer is plain data (``as_response``) because idempotency keys store it and replay
it to retries; the GraphQL layer turns it into a payload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from edugraph.loaders.base import Document


@dataclass(frozen=True, slots=True)
class WriteResult:
    """``record_id`` on success; ``code`` (and ``field``, ``message``) on an expected failure."""

    record_id: ObjectId | None = None
    code: str | None = None
    field: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.code is None

    def as_response(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "code": self.code, "field": self.field, "message": self.message}


def done(record_id: ObjectId) -> WriteResult:
    return WriteResult(record_id=record_id)


def failed(code: str, message: str, field: str | None = None, record_id: ObjectId | None = None) -> WriteResult:
    return WriteResult(record_id=record_id, code=code, field=field, message=message)


def not_found(field: str) -> WriteResult:
    return failed("NOT_FOUND", f"No record matches {field}.", field)


async def first_missing(db: AsyncDatabase[Document], *references: tuple[str, ObjectId, str]) -> WriteResult | None:
    """NOT_FOUND for the first (collection, id, input field) whose record does not exist."""
    for collection, oid, field in references:
        if await db[collection].find_one({"_id": oid}, {"_id": 1}) is None:
            return not_found(field)
    return None


async def insert_new(
    db: AsyncDatabase[Document],
    collection: str,
    document: Document,
    on_duplicate: Callable[[DuplicateKeyError], WriteResult],
) -> WriteResult:
    """Insert a record under a new id; a unique index refusing it becomes ``on_duplicate``'s answer."""
    record_id = ObjectId()
    try:
        await db[collection].insert_one({"_id": record_id, **document})
    except DuplicateKeyError as error:
        return on_duplicate(error)
    return done(record_id)
