"""The state shared by the domain builders while one demo data set is generated.

Builders run in dependency order (park catalogue, learning, daily activity, tutoring,
credit bank, alliance) and each reads the documents the earlier ones produced. Each
concern draws from its own random generator derived from the seed number and a name, so
changing how (say) submissions are drawn never reshuffles the institutions or the exam
bookings.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bson import ObjectId

from edugraph.store.seed.figures import Figure
from edugraph.store.seed.ids import IdFactory

Document = dict[str, Any]


@dataclass
class SeedContext:
    """Figures to meet, id and randomness sources, and the documents built so far."""

    seed_number: int
    figures: dict[str, Figure]
    ids: IdFactory = field(default_factory=IdFactory)
    docs: defaultdict[str, list[Document]] = field(default_factory=lambda: defaultdict(list))
    institution_weight: dict[ObjectId, float] = field(default_factory=dict)
    """How much activity each institution draws (courses, learners); see the tiers."""
    course_topics: dict[ObjectId, tuple[str, ...]] = field(default_factory=dict)
    """Lecture topics of each park course, for resource and assignment titles."""

    def rng(self, name: str) -> random.Random:
        """A generator for one concern; string seeds hash with SHA-512, stable across runs."""
        return random.Random(f"edugraph-demo:{self.seed_number}:{name}")

    def add(self, collection: str, doc: Document) -> Document:
        """Give ``doc`` the collection's next id (as its first field) and keep it."""
        stored = {"_id": self.ids.next(collection), **doc}
        self.docs[collection].append(stored)
        return stored

    def value(self, key: str) -> int:
        return self.figures[key].value

    def previous(self, key: str) -> int:
        return self.figures[key].previous


def by_id(docs: list[Document]) -> dict[ObjectId, Document]:
    return {doc["_id"]: doc for doc in docs}


def sort_by(docs: list[Document], key: str) -> list[Document]:
    """Documents ordered by a date field, ties by id: the order ids are handed out in."""
    return sorted(docs, key=lambda d: (d[key], d["_id"]))


def before(moment: datetime, docs: list[Document], key: str) -> list[Document]:
    return [doc for doc in docs if doc[key] <= moment]
