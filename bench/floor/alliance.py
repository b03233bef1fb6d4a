"""The floor's PartnerAlliance: the contract's JSON, built directly."""

from __future__ import annotations

import asyncio
from typing import Any

from bench.floor.fetch import Database, Document, by_ids, many_by, page_of, pages_by, top_level_page, unique
from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c
from edugraph.store.counting import count_matching

ALLIANCES = 20
MEMBERS = 100
MAX_SESSIONS_PER_YEAR = 500
"""As edugraph.resolvers.alliance (not imported: entering the schema's import cycle there fails)."""


async def partner_alliance(db: Database, variables: dict[str, Any]) -> Document:
    year = int(variables["year"])
    alliances, total, sessions = await asyncio.gather(
        top_level_page(db, c.ALLIANCES, ALLIANCES, ("name", "kind", "provinces")),
        count_matching(db, c.ALLIANCES, {}),
        db[c.EXAM_SESSIONS]
        .find(
            {"year": year},
            {"year": 1, "season": 1, "capacity": 1, "booked": 1},
            sort=[("season", -1), ("_id", 1)],
            limit=MAX_SESSIONS_PER_YEAR,
        )
        .to_list(),
    )
    shown = alliances[:ALLIANCES]
    ids = [doc["_id"] for doc in shown]
    memberships, committees = await asyncio.gather(
        pages_by(db, c.ALLIANCE_MEMBERSHIPS, "alliance_id", ids, MEMBERS, ("institution_id",)),
        many_by(db, c.ALLIANCE_COMMITTEES, "alliance_id", ids, ("name",)),
    )
    institution_ids = unique(m.get("institution_id") for page in memberships.values() for m in page.documents)
    institutions = await by_ids(db, c.INSTITUTIONS, institution_ids, ("name", "city"))

    def members(alliance: Any) -> Document:
        page = page_of(memberships, alliance)
        # A membership whose institution is gone is skipped, as the service does.
        found = [institutions.get(m.get("institution_id")) for m in page.documents]
        nodes = [doc for doc in found if doc is not None][:MEMBERS]
        return {
            "totalCount": page.total,
            "nodes": [
                {"id": to_public_id(IdPrefix.INSTITUTION, d["_id"]), "name": d["name"], "city": d["city"]}
                for d in nodes
            ],
        }

    return {
        "alliances": {
            "totalCount": total,
            "nodes": [
                {
                    "id": to_public_id(IdPrefix.ALLIANCE, doc["_id"]),
                    "name": doc["name"],
                    "kind": doc["kind"],
                    "provinces": list(doc.get("provinces", [])),
                    "members": members(doc["_id"]),
                    "committees": [
                        {"id": to_public_id(IdPrefix.ALLIANCE_COMMITTEE, m["_id"]), "name": m["name"]}
                        for m in committees.get(doc["_id"], [])
                    ],
                }
                for doc in shown
            ],
        },
        "examSessions": [
            {
                "id": to_public_id(IdPrefix.EXAM_SESSION, s["_id"]),
                "year": s["year"],
                "season": s["season"],
                "capacity": s["capacity"],
                "booked": s["booked"],
            }
            for s in sessions
        ],
    }
