"""The operations the benchmark sends: the client contract's read queries, a top-level
page of its own (``queries/``), and their variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from bench.floor.learner import LEARNERS_BY_ID
from edugraph.ids import IdPrefix, to_public_id
from edugraph.schema.pagination import encode_cursor
from edugraph.store import collections as c
from edugraph.store.counting import count_matching

CONTRACT_DIR = Path(
    os.environ.get("EDUGRAPH_CONTRACT_DIR", Path(__file__).resolve().parents[2] / "shared" / "contract")
)
BENCH_QUERIES = Path(__file__).resolve().parent / "queries"
STATISTICS_YEAR = 2023


@dataclass(frozen=True)
class Operation:
    """One query document with its variables, under the label the results use."""

    label: str
    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    page_query: bool = False
    """A query whose size is bounded by its `first` arguments, not by the data."""
    contract: bool = True
    """A client contract query, or one of the benchmark's own (``bench/queries``)."""

    @property
    def query(self) -> str:
        folder = CONTRACT_DIR if self.contract else BENCH_QUERIES
        return (folder / f"{self.name}.graphql").read_text(encoding="utf-8")


def operations(ids: dict[str, str]) -> list[Operation]:
    return [
        Operation("InstitutionsDirectory(first: 50)", "InstitutionsDirectory", {"first": 50}, page_query=True),
        Operation("InstitutionProfile", "InstitutionProfile", {"id": ids["institution"]}, page_query=True),
        Operation("LearnerProfile", "LearnerProfile", {"id": ids["learner"]}, page_query=True),
        Operation("PartnerAlliance", "PartnerAlliance", {"year": STATISTICS_YEAR}, page_query=True),
        # Not in the contract: the longest top-level list, half-way through, with its total.
        Operation(
            "LearnersPage(first: 50, half-way)",
            "LearnersPage",
            {"first": 50, "after": ids["learners_after"]},
            page_query=True,
            contract=False,
        ),
        Operation("YearlyStatistics (cached)", "YearlyStatistics", {"year": STATISTICS_YEAR}),
    ]


async def _most_submissions(db: AsyncDatabase[dict[str, Any]], among: list[Any] | None) -> Any:
    pipeline: list[dict[str, Any]] = [{"$match": {"learner_id": {"$in": among}}}] if among else []
    pipeline += [{"$group": {"_id": "$learner_id", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}, {"$limit": 1}]
    rows = await (await db[c.SUBMISSIONS].aggregate(pipeline)).to_list()
    return rows[0]["_id"] if rows else None


async def sample_ids(db: AsyncDatabase[dict[str, Any]]) -> dict[str, str]:
    """Ids whose pages have something on most paths: the chief examiner of the first major,
    and — of the learners with a converted outcome — the one with the most submissions;
    and the cursor half-way through the learners."""
    major = await db[c.MAJORS].find_one({}, sort=[("_id", 1)])
    converted = await db[c.CREDIT_CONVERSIONS].distinct("learner_id")
    learner = await _most_submissions(db, converted) or await _most_submissions(db, None)
    if major is None or learner is None:
        raise RuntimeError("the benchmark needs seeded data: majors and submissions")
    learners = await count_matching(db, c.LEARNERS, {})
    middle = await db[c.LEARNERS].find_one({}, {"_id": 1}, sort=[("_id", 1)], skip=learners // 2)
    if middle is None:
        raise RuntimeError("the benchmark needs seeded data: learners")
    return {
        "institution": to_public_id(IdPrefix.INSTITUTION, major["chief_institution_id"]),
        "learner": to_public_id(IdPrefix.LEARNER, learner),
        "learners_after": encode_cursor(LEARNERS_BY_ID, (), middle["_id"]),
    }
