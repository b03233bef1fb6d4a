"""The dashboard's yearly figures, computed by MongoDB aggregation.

Each function sends one aggregation per collection that groups documents by calendar
year (and whatever else the figure splits on), so only a handful of small groups ever
reach Python, whatever the size of the collection. "Stock" figures count what existed at
the end of a year (every group up to that year); "flow" figures count what happened
within it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.base import Document
from edugraph.store import collections as c


@dataclass(frozen=True, slots=True)
class YearPair:
    """A figure's value in the asked year and in the year before."""

    value: int
    previous: int


Groups = dict[tuple[Any, ...], float]


async def _group(
    db: AsyncDatabase[Document],
    collection: str,
    *,
    year: Any,
    by: Mapping[str, Any] | None = None,
    match: Document | None = None,
    total: Any = 1,
) -> Groups:
    """Sum ``total`` per (year, *by) over the collection; keys are tuples in that order."""
    key = {"y": year, **(by or {})}
    pipeline: list[Document] = []
    if match:
        pipeline.append({"$match": match})
    pipeline.append({"$group": {"_id": key, "n": {"$sum": total}}})
    groups: Groups = {}
    async for row in await db[collection].aggregate(pipeline):
        groups[tuple(row["_id"][k] for k in key)] = row["n"]
    return groups


def _year_of(field: str) -> Document:
    return {"$year": f"${field}"}


def _stock(groups: Groups, year: int, **where: Any) -> int:
    return int(sum(n for key, n in groups.items() if key[0] <= year and _matches(key, where)))


def _flow(groups: Groups, year: int, **where: Any) -> int:
    return int(sum(n for key, n in groups.items() if key[0] == year and _matches(key, where)))


def _matches(key: tuple[Any, ...], where: Mapping[str, Any]) -> bool:
    # ``where`` names positions after the year: {"k1": value} checks key[1].
    return all(key[int(name[1:])] == value for name, value in where.items())


def stock(groups: Groups, year: int, **where: Any) -> YearPair:
    return YearPair(_stock(groups, year, **where), _stock(groups, year - 1, **where))


def flow(groups: Groups, year: int, **where: Any) -> YearPair:
    return YearPair(_flow(groups, year, **where), _flow(groups, year - 1, **where))


def _two_years(field: str, year: int) -> Document:
    return {field: {"$gte": datetime(year - 1, 1, 1, tzinfo=UTC), "$lt": datetime(year + 1, 1, 1, tzinfo=UTC)}}


async def park_figures(db: AsyncDatabase[Document], year: int) -> dict[str, YearPair]:
    institutions, courses, resources, learners, assignments, activity = await asyncio.gather(
        _group(db, c.INSTITUTIONS, year=_year_of("joined_at")),
        _group(db, c.COURSES, year=_year_of("launched_at")),
        _group(db, c.COURSE_RESOURCES, year=_year_of("added_at"), by={"video": {"$eq": ["$kind", "VIDEO"]}}),
        _group(db, c.LEARNERS, year=_year_of("registered_at")),
        _group(db, c.ASSIGNMENTS, year=_year_of("set_at"), match=_two_years("set_at", year)),
        _daily_activity(db, year),
    )
    return {
        "institutions": stock(institutions, year),
        "courses": stock(courses, year),
        "new_courses": flow(courses, year),
        "resources": stock(resources, year),
        "video_resources": stock(resources, year, k1=True),
        "learners": stock(learners, year),
        "assignments": flow(assignments, year),
        **activity,
    }


async def _daily_activity(db: AsyncDatabase[Document], year: int) -> dict[str, YearPair]:
    """The platform's daily counters (visits, study hours, submissions), summed per year."""
    counters = ("submissions", "video_study_hours", "visits")
    pipeline: list[Document] = [
        {"$match": _two_years("date", year)},
        {"$group": {"_id": _year_of("date"), **{name: {"$sum": f"${name}"} for name in counters}}},
    ]
    rows = [row async for row in await db[c.PARK_DAILY_ACTIVITY].aggregate(pipeline)]
    return {name: flow({(row["_id"],): round(row[name]) for row in rows}, year) for name in counters}


async def credit_bank_figures(db: AsyncDatabase[Document], year: int) -> tuple[dict[str, YearPair], dict[str, int]]:
    accounts, outcomes, centres = await asyncio.gather(
        _group(db, c.CREDIT_ACCOUNTS, year=_year_of("opened_at")),
        _group(db, c.LEARNING_OUTCOMES, year=_year_of("deposited_at")),
        _group(db, c.CERTIFICATION_CENTRES, year=_year_of("established_at"), by={"kind": "$kind"}),
    )
    by_kind: dict[str, int] = defaultdict(int)
    for (group_year, kind), n in centres.items():
        if group_year <= year:
            by_kind[kind] += int(n)
    figures = {
        "accounts": stock(accounts, year),
        "learning_outcomes": stock(outcomes, year),
        "certification_centres": stock(centres, year),
    }
    return figures, dict(by_kind)


async def alliance_figures(db: AsyncDatabase[Document], year: int) -> dict[str, YearPair]:
    members, hosts, candidates, purchases, alliances = await asyncio.gather(
        _group(db, c.ALLIANCE_MEMBERSHIPS, year=_year_of("joined_at"), by={"alliance": "$alliance_id"}),
        _distinct_hosts(db, year),
        _group(
            db,
            c.EXAM_BOOKINGS,
            year="$year",
            match={"year": {"$in": [year - 1, year]}, "status": {"$ne": "CANCELLED"}},
        ),
        _group(db, c.DEGREE_COURSE_PURCHASES, year=_year_of("purchased_at"), match=_two_years("purchased_at", year)),
        db[c.ALLIANCES].find({}, {"kind": 1}).to_list(),
    )
    kinds = {doc["_id"]: doc["kind"] for doc in alliances}

    def members_of(kind: str) -> YearPair:
        by_kind: Groups = defaultdict(float)
        for (group_year, alliance_id), n in members.items():
            if kinds.get(alliance_id) == kind:
                by_kind[(group_year,)] += n
        return stock(by_kind, year)

    return {
        "public_english_members": members_of("PUBLIC_ENGLISH"),
        "cooperation_members": members_of("COOPERATION"),
        "degree_language_exam_universities": flow(hosts, year),
        "degree_language_exam_candidates": flow(candidates, year),
        "degree_language_course_purchases": flow(purchases, year),
    }


async def _distinct_hosts(db: AsyncDatabase[Document], year: int) -> Groups:
    pipeline: list[Document] = [
        {"$match": {"year": {"$in": [year - 1, year]}}},
        {"$group": {"_id": {"y": "$year", "host": "$host_institution_id"}}},
        {"$group": {"_id": "$_id.y", "n": {"$sum": 1}}},
    ]
    return {(row["_id"],): row["n"] async for row in await db[c.EXAM_SESSIONS].aggregate(pipeline)}


async def tutoring_figures(db: AsyncDatabase[Document], year: int) -> dict[str, YearPair]:
    majors, courses, selections, enrolments = await asyncio.gather(
        _group(db, c.MAJORS, year=_year_of("established_at"), by={"chief": "$chief_institution_id"}),
        _group(db, c.TUTORING_COURSES, year=_year_of("added_at")),
        _group(db, c.TUTORING_COURSE_SELECTIONS, year=_year_of("selected_at"), match=_two_years("selected_at", year)),
        _group(db, c.TUTORING_ENROLMENTS, year=_year_of("enrolled_at"), match=_two_years("enrolled_at", year)),
    )

    def chiefs(until: int) -> int:
        return len({chief for (group_year, chief) in majors if group_year <= until})

    return {
        "chief_universities": YearPair(chiefs(year), chiefs(year - 1)),
        "majors": stock(majors, year),
        "courses": stock(courses, year),
        "course_selections": flow(selections, year),
        "enrolments": flow(enrolments, year),
    }
