"""Alliance write paths other than exam seats (those are in ``bookings``)."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document
from edugraph.store.collections import DEGREE_COURSE_PURCHASES, LEARNERS
from edugraph.store.writes import WriteResult, done, not_found


async def purchase_course(
    db: AsyncDatabase[Document], learner_id: ObjectId, product: str, price_yuan: float
) -> WriteResult:
    if await db[LEARNERS].find_one({"_id": learner_id}, {"_id": 1}) is None:
        return not_found("learnerId")
    purchase_id = ObjectId()
    await db[DEGREE_COURSE_PURCHASES].insert_one(
        {
            "_id": purchase_id,
            "learner_id": learner_id,
            "product": product,
            "price_yuan": price_yuan,
            "purchased_at": datetime.now(UTC),
        }
    )
    return done(purchase_id)
