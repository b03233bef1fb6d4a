"""Index creation, run at every start-up and before seeding.

``create_indexes`` is idempotent on MongoDB: an index that already exists with the same
keys and options is left alone, so running this on each start costs one round trip per
collection and never rebuilds anything. The indexes are declared in code
(``collections.py``); when a declaration changed (an index became unique, say), the
old index of that name is dropped and built anew, with a warning in the log. An index
rebuilt on ``pair_key`` first gives the key to the documents written before they had one
(exam bookings did until the live-booking rule moved onto it).
Seeding calls this first because building an index over loaded data is far slower on
the embedded server than filling an indexed collection.
"""

from __future__ import annotations

import logging
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import OperationFailure

from edugraph.store.collections import COLLECTIONS, PAIR_KEY, PAIRS, pair_key

logger = logging.getLogger("edugraph.indexes")

# IndexOptionsConflict, IndexKeySpecsConflict
_CONFLICT_CODES = {85, 86}


async def ensure_indexes(db: Any) -> None:
    """Create every collection's indexes; ``db`` is a PyMongo or mongoeco async database."""
    for spec in COLLECTIONS:
        if not spec.indexes:
            continue
        collection = db[spec.name]
        try:
            await collection.create_indexes(list(spec.indexes))
        except OperationFailure as error:
            if error.code not in _CONFLICT_CODES:
                raise
            for index in spec.indexes:
                await _replace_if_changed(collection, index)


async def _replace_if_changed(collection: Any, index: Any) -> None:
    try:
        await collection.create_indexes([index])
    except OperationFailure as error:
        if error.code not in _CONFLICT_CODES:
            raise
        name = index.document["name"]
        logger.warning("Index %s.%s changed definition: rebuilding it", collection.name, name)
        await collection.drop_index(name)
        if PAIR_KEY in index.document["key"]:
            await add_missing_pair_keys(collection)
        await collection.create_indexes([index])


async def add_missing_pair_keys(collection: Any, chunk: int = 1_000) -> None:
    """Give every document of ``collection`` without a ``pair_key`` the one its pair names."""
    first, second = PAIRS[collection.name]
    updates: list[UpdateOne] = []
    async for doc in collection.find({PAIR_KEY: {"$exists": False}}, {first: 1, second: 1}):
        updates.append(UpdateOne({"_id": doc["_id"]}, {"$set": {PAIR_KEY: pair_key(doc[first], doc[second])}}))
        if len(updates) == chunk:
            await collection.bulk_write(updates, ordered=False)
            updates = []
    if updates:
        await collection.bulk_write(updates, ordered=False)
