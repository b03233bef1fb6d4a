"""Index creation, run at every start-up and before seeding.

``create_indexes`` is idempotent on MongoDB: an index that already exists with the same
keys and options is left alone, so running this on each start costs one round trip per
collection and never rebuilds anything. Seeding calls it first because building an
index over loaded data is far slower on the embedded server than filling an indexed
collection.
"""

from __future__ import annotations

from typing import Any

from edugraph.store.collections import COLLECTIONS


async def ensure_indexes(db: Any) -> None:
    """Create every collection's indexes; ``db`` is a PyMongo or mongoeco async database."""
    for spec in COLLECTIONS:
        if spec.indexes:
            await db[spec.name].create_indexes(list(spec.indexes))
