"""Who may see which rows: the access rules, as MongoDB filters the loaders apply.

Every read of a collection — a lookup by id, a nested list, a page, a top-level list —
goes through ``AccessPolicy.row_filter`` and ANDs the filter into its query, so rows a
caller may not see are never fetched, whatever path the query takes. ``None`` means the
caller may see no row of the collection: the loaders then answer empty without asking
MongoDB at all.

The public catalogue (institutions, courses, resources, centres, alliances, exam
sessions, majors …) is open to everyone. Personal records are not:

| collection | learner | teacher | institution admin | centre | partner |
|---|---|---|---|---|---|
| learners | self | own institution's | own institution's | — | own province's |
| submissions | own | to own courses | own institution's | — | — |
| outcomes | own | — | own institution's | recognised by it, or awaiting | — |
| exam bookings | own | — | own institution's | — | own province's candidates |
| other personal records | own | — | own institution's | — | — |

A platform admin sees everything.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from graphql import GraphQLError
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.auth import Role, Viewer
from edugraph.errors import Forbidden, Unauthenticated
from edugraph.store import collections as c

Document = dict[str, Any]

LEARNER_RECORDS = frozenset(
    {
        c.SUBMISSIONS,
        c.STUDY_RECORDS,
        c.CREDIT_ACCOUNTS,
        c.LEARNING_OUTCOMES,
        c.CREDIT_CONVERSIONS,
        c.EXAM_BOOKINGS,
        c.DEGREE_COURSE_PURCHASES,
        c.TUTORING_ENROLMENTS,
        c.TUTORING_COURSE_SELECTIONS,
    }
)
PERSONAL = LEARNER_RECORDS | {c.LEARNERS}
_EVERYTHING: Document = {}


def scope_id(value: str | None) -> ObjectId | None:
    """The ObjectId in a token's scope claim (``lrn_…``, ``ins_…``), if it holds one."""
    if not value:
        return None
    try:
        return ObjectId(value.partition("_")[2] or value)
    except (InvalidId, TypeError):
        return None


class AccessPolicy:
    """The row filters of one caller, worked out once per request."""

    def __init__(self, db: AsyncDatabase[Document], viewer: Viewer) -> None:
        self.db = db
        self.viewer = viewer
        self._filters: dict[str, asyncio.Task[Document | None]] = {}

    def sees_everything_of(self, collection: str) -> bool:
        return collection not in PERSONAL or self.viewer.role is Role.PLATFORM_ADMIN

    async def row_filter(self, collection: str) -> Document | None:
        if self.sees_everything_of(collection):
            return _EVERYTHING
        if collection not in self._filters:
            self._filters[collection] = asyncio.ensure_future(self._compute(collection))
        return await asyncio.shield(self._filters[collection])

    async def _compute(self, collection: str) -> Document | None:
        viewer = self.viewer
        subject = scope_id(viewer.subject)
        institution = scope_id(viewer.institution)
        match viewer.role:
            case Role.LEARNER if subject is not None:
                return {"_id": subject} if collection == c.LEARNERS else {"learner_id": subject}
            case Role.INSTITUTION_ADMIN if institution is not None:
                if collection == c.LEARNERS:
                    return {"institution_id": institution}
                return _among("learner_id", await self._learners_of([institution]))
            case Role.TEACHER if subject is not None:
                if collection == c.LEARNERS and institution is not None:
                    return {"institution_id": institution}
                if collection == c.SUBMISSIONS:
                    return _among("assignment_id", await self._assignments_of(subject))
            case Role.CERTIFICATION_CENTRE if subject is not None:
                if collection == c.LEARNING_OUTCOMES:
                    return {"$or": [{"recognised_by": subject}, {"status": "DEPOSITED"}]}
            case Role.PARTNER if viewer.province:
                if collection == c.EXAM_BOOKINGS:
                    return {"province": viewer.province}
                if collection == c.LEARNERS:
                    return _among("institution_id", await self._institutions_in(viewer.province))
        return None

    async def _learners_of(self, institutions: list[ObjectId]) -> list[ObjectId]:
        cursor = self.db[c.LEARNERS].find({"institution_id": {"$in": institutions}}, {"_id": 1})
        return [doc["_id"] async for doc in cursor]

    async def _assignments_of(self, teacher: ObjectId) -> list[ObjectId]:
        courses = [doc["_id"] async for doc in self.db[c.COURSES].find({"teacher_id": teacher}, {"_id": 1})]
        if not courses:
            return []
        cursor = self.db[c.ASSIGNMENTS].find({"course_id": {"$in": courses}}, {"_id": 1})
        return [doc["_id"] async for doc in cursor]

    async def _institutions_in(self, province: str) -> list[ObjectId]:
        return [doc["_id"] async for doc in self.db[c.INSTITUTIONS].find({"province": province}, {"_id": 1})]


def denial(viewer: Viewer) -> GraphQLError:
    """The error for a caller refused: no token → UNAUTHENTICATED, otherwise FORBIDDEN."""
    return Unauthenticated() if viewer.role is Role.ANONYMOUS else Forbidden()


def _among(field: str, ids: list[ObjectId]) -> Document | None:
    # No ids, no rows: and no empty $in, which mongoeco's SQLite engine (4.11) cannot run.
    return {field: {"$in": ids}} if ids else None


def combine(query: Document, row_filter: Document) -> Document:
    """``query`` AND the caller's row filter."""
    if not row_filter:
        return query
    if not query:
        return row_filter
    return {"$and": [query, row_filter]}
