"""Alliance write paths other than exam seats (those are in ``bookings``)."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document
from edugraph.store.collections import DEGREE_COURSE_PURCHASES, LEARNERS
from edugraph.store.writes import WriteResult, done, first_missing


async def purchase_course(
    db: AsyncDatabase[Document], learner_id: ObjectId, product: str, price_yuan: float
) -> WriteResult:
    if missing := await first_missing(db, (LEARNERS, learner_id, "learnerId")):
        return missing
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
