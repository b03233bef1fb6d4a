"""Small helpers the tests share: ids of seeded documents, by their natural keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bson import ObjectId

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

TEST_YEAR = 2031  # exam sessions made by tests: outside the years the statistics tests read


async def institution_id(db: Any, name: str) -> str:
    doc = await db[c.INSTITUTIONS].find_one({"name": name})
    assert doc is not None, f"no institution named {name}"
    return to_public_id(IdPrefix.INSTITUTION, doc["_id"])


async def busiest(db: Any, collection: str, field: str) -> Any:
    """The value of ``field`` shared by the most documents of ``collection``."""
    pipeline = [{"$group": {"_id": f"${field}", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}, {"$limit": 1}]
    rows = await (await db[collection].aggregate(pipeline)).to_list()
    return rows[0]["_id"]


class Sessions:
    """Exam sessions made for one test, and everything booked in them, removed afterwards."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.ids: list[ObjectId] = []

    async def new(self, capacity: int) -> str:
        oid = ObjectId()
        host = await self.db[c.INSTITUTIONS].find_one({})
        await self.db[c.EXAM_SESSIONS].insert_one(
            {
                "_id": oid,
                "year": TEST_YEAR,
                "season": "SPRING",
                "host_institution_id": host["_id"],
                "alliance_id": None,
                "exam_date": datetime(TEST_YEAR, 4, 12, tzinfo=UTC),
                "capacity": capacity,
                "booked": 0,
                "holders": [],
            }
        )
        self.ids.append(oid)
        return to_public_id(IdPrefix.EXAM_SESSION, oid)

    async def remove(self) -> None:
        await self.db[c.EXAM_BOOKINGS].delete_many({"session_id": {"$in": self.ids}})
        await self.db[c.EXAM_SESSIONS].delete_many({"_id": {"$in": self.ids}})
