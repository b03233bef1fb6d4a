"""The floor's YearlyStatistics: the same aggregations and cache, the JSON built directly."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bench.floor.fetch import Database, Document
from edugraph.schema.credit_bank import CentreKind
from edugraph.store import statistics as compute
from edugraph.store.cache import TTLCache


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def figures(pairs: dict[str, compute.YearPair]) -> Document:
    return {
        camel(name): {
            "value": pair.value,
            "previousValue": pair.previous,
            "growth": pair.value / pair.previous - 1 if pair.previous else None,
        }
        for name, pair in pairs.items()
    }


async def yearly_statistics(db: Database, variables: dict[str, Any], cache: TTLCache) -> Document:
    year = int(variables["year"])

    async def cached[R](name: str, compute_figures: Callable[[Database, int], Awaitable[R]]) -> R:
        return await cache.get_or_compute(("statistics", name, year), lambda: compute_figures(db, year))

    park, (credit, by_kind), alliance, tutoring = await asyncio.gather(
        cached("park", compute.park_figures),
        cached("credit_bank", compute.credit_bank_figures),
        cached("alliance", compute.alliance_figures),
        cached("tutoring", compute.tutoring_figures),
    )
    return {
        "statistics": {
            "year": year,
            "park": figures(park),
            "creditBank": {
                **figures(credit),
                "certificationCentresByKind": [
                    {"kind": kind.name, "count": by_kind.get(kind.name, 0)} for kind in CentreKind
                ],
            },
            "alliance": figures(alliance),
            "tutoring": figures(tutoring),
        }
    }
