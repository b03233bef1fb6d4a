"""Idempotency keys: a retried mutation gets the first answer and changes nothing.

The first request with a key claims it by inserting a PENDING record (the unique ``_id``
decides the race), performs the operation and stores its answer. A retry with the same
key and the same input replays that answer; with a different input it is refused. A
retry that finds the key still PENDING waits for the answer; if the first request died
half-way, the retry performs the operation itself — every write path is safe to run
again (each repairs what an interrupted earlier run left) — and stores the answer.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from edugraph.loaders.base import Document
from edugraph.store.collections import IDEMPOTENCY_KEYS

MAX_KEY_LENGTH = 200
WAIT_FOR_FIRST_S = 10.0
_POLL_S = 0.05


class IdempotencyKeyReused(Exception):
    """The key was first used with another input: replaying its answer would mislead."""


def fingerprint(operation: str, arguments: Mapping[str, Any]) -> str:
    canonical = json.dumps([operation, arguments], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def once(
    db: AsyncDatabase[Document],
    *,
    key: str | None,
    operation: str,
    arguments: Mapping[str, Any],
    perform: Callable[[], Awaitable[Document]],
) -> Document:
    """``perform()``'s answer, performed at most once per (operation, key) and input."""
    if key is None:
        return await perform()
    record_id = operation_id(operation, key)
    digest = fingerprint(operation, arguments)
    keys = db[IDEMPOTENCY_KEYS]
    try:
        await keys.insert_one(
            {
                "_id": record_id,
                "operation": operation,
                "fingerprint": digest,
                "state": "PENDING",
                "created_at": datetime.now(UTC),
            }
        )
    except DuplicateKeyError:
        answer = await _answer_of(db, record_id, digest)
        if answer is not None:
            return answer
    response = await perform()
    await keys.update_one({"_id": record_id}, {"$set": {"state": "DONE", "response": response}})
    return response


async def _answer_of(db: AsyncDatabase[Document], record_id: str, digest: str) -> Document | None:
    """The stored answer, waiting a while for a first request still at work; None if it died."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    while True:
        record = await db[IDEMPOTENCY_KEYS].find_one({"_id": record_id})
        if record is None:
            return None
        if record["fingerprint"] != digest:
            raise IdempotencyKeyReused(record_id)
        if record["state"] == "DONE":
            response: Document = record["response"]
            return response
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(_POLL_S)


def operation_id(operation: str, key: str | None) -> str:
    """A name for one attempt of a write: the same for every retry with the key, else unique.

    Write paths that add to counters record it beside the addition, so a retried attempt
    can tell that its addition was already made.
    """
    return f"{operation}:{key}" if key is not None else f"{operation}:{ObjectId()}"
