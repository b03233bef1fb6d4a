"""Small helpers the tests share: ids of seeded documents, by their natural keys."""

from __future__ import annotations

from typing import Any

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c


async def institution_id(db: Any, name: str) -> str:
    doc = await db[c.INSTITUTIONS].find_one({"name": name})
    assert doc is not None, f"no institution named {name}"
    return to_public_id(IdPrefix.INSTITUTION, doc["_id"])


async def busiest(db: Any, collection: str, field: str) -> Any:
    """The value of ``field`` shared by the most documents of ``collection``."""
    pipeline = [{"$group": {"_id": f"${field}", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}, {"$limit": 1}]
    rows = await (await db[collection].aggregate(pipeline)).to_list()
    return rows[0]["_id"]
