"""Load the demo data into a database, once.

The target is usually mongoeco's embedded SQLite engine used in-process, and three of
its costs (measured with mongoeco 4.11 at the default scale) shape the steps:

* Building an index over loaded data is far slower than filling an indexed collection
  (about 29 s against 8 s for the whole set), so a collection's indexes always exist
  before its data.
* Every index of *any* collection becomes SQLite indexes on tables shared by all
  collections, so each inserted document pays for all the indexes in the database, not
  just its own collection's: loading with all ~55 indexes in place takes ~40 s. Creating
  each collection's indexes just before loading it, and loading the collections with the
  most documents per index first, brings that down to ~20 s.
* ``delete_many({})`` is very slow there (about a minute for 20,000 documents), so old
  demo data goes by dropping the collection instead.

The ``seed_meta`` document is written last and removed first: if a seed is interrupted,
the next start finds no matching marker and seeds again from scratch.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from edugraph.store.collections import COLLECTIONS, SEED_META
from edugraph.store.indexes import ensure_indexes
from edugraph.store.seed.figures import DEFAULT_SCALE, DEFAULT_SEED_NUMBER
from edugraph.store.seed.generator import DEMO_COLLECTIONS, SEED_VERSION, generate

BATCH_SIZE = 1000
_META_ID = "demo"
_INDEXES = {spec.name: list(spec.indexes) for spec in COLLECTIONS}


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What a call to ``seed_database`` did."""

    counts: Mapping[str, int] = field(default_factory=dict)
    """Documents per demo collection now in the database."""
    seconds: float = 0.0
    skipped: bool = False
    """True when the database already held this very seed and nothing was written."""


def _marker(scale: float, seed_number: int) -> dict[str, Any]:
    return {"_id": _META_ID, "seed_number": seed_number, "scale": scale, "version": SEED_VERSION}


def _is_current(meta: Mapping[str, Any] | None, wanted: Mapping[str, Any]) -> bool:
    return meta is not None and all(meta.get(key) == value for key, value in wanted.items())


async def seed_database(
    db: Any,
    *,
    scale: float = DEFAULT_SCALE,
    seed_number: int = DEFAULT_SEED_NUMBER,
    progress: bool = True,
) -> SeedReport:
    """Fill ``db`` (a PyMongo or mongoeco async database) with the demo data, idempotently.

    Does nothing when the database already holds the seed asked for; otherwise replaces
    every demo collection's documents with ``generate(scale, seed_number)``.
    """
    started = time.perf_counter()
    await ensure_indexes(db)
    wanted = _marker(scale, seed_number)
    meta = await db[SEED_META].find_one({"_id": _META_ID})
    if _is_current(meta, wanted):
        counts = dict(meta.get("counts", {})) if meta else {}
        return SeedReport(counts=counts, seconds=time.perf_counter() - started, skipped=True)

    # Generate before touching anything: a failure here leaves the old data in place.
    data = generate(scale, seed_number)
    await db[SEED_META].delete_many({"_id": _META_ID})
    for name in DEMO_COLLECTIONS:
        await db[name].drop()  # also drops its indexes, which are rebuilt just before loading

    total = sum(len(docs) for docs in data.values())
    with tqdm(total=total, desc="Seeding demo data", unit="doc", disable=not progress) as bar:
        for name in _load_order(data):
            bar.set_postfix_str(name)
            if _INDEXES.get(name):
                await db[name].create_indexes(_INDEXES[name])
            docs = data[name]
            for start in range(0, len(docs), BATCH_SIZE):
                batch = docs[start : start + BATCH_SIZE]
                await db[name].insert_many(batch, ordered=False)
                bar.update(len(batch))
    await ensure_indexes(db)  # a no-op unless the spec names a collection the seed skips

    counts = {name: len(docs) for name, docs in data.items()}
    await db[SEED_META].replace_one({"_id": _META_ID}, {**wanted, "counts": counts}, upsert=True)
    return SeedReport(counts=counts, seconds=time.perf_counter() - started, skipped=False)


def _load_order(data: Mapping[str, list[Any]]) -> list[str]:
    """Collections with the most documents per index first (Smith's rule).

    Each document pays for every index already in the database, so a collection loaded
    early is cheap; the order minimises the total. References between collections do not
    constrain it: a partly loaded database is never marked complete in ``seed_meta``.
    """
    return sorted(data, key=lambda name: -len(data[name]) / max(1, len(_INDEXES.get(name, []))))
