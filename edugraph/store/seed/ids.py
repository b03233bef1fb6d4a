"""Deterministic ObjectIds for the demo data.

A demo id must be the same on every machine and every run, so that a link shared from
one demo (``ins_…``) opens the same institution on another. Each id is 12 bytes: the
fixed timestamp 2024-01-01 UTC, a two-byte code for the collection, and a six-byte
running number — readable in a hex dump and never colliding across collections.
"""

from __future__ import annotations

from collections import defaultdict

from bson import ObjectId

from edugraph.store import collections as c

_TIMESTAMP = (1_704_067_200).to_bytes(4, "big")  # 2024-01-01T00:00:00Z

COLLECTION_CODES: dict[str, int] = {
    c.INSTITUTIONS: 0x0101,
    c.TEACHERS: 0x0102,
    c.COURSES: 0x0103,
    c.COURSE_RESOURCES: 0x0104,
    c.LEARNERS: 0x0105,
    c.ASSIGNMENTS: 0x0106,
    c.SUBMISSIONS: 0x0107,
    c.PARK_DAILY_ACTIVITY: 0x0108,
    c.CERTIFICATION_CENTRES: 0x0201,
    c.CREDIT_ACCOUNTS: 0x0202,
    c.LEARNING_OUTCOMES: 0x0203,
    c.CREDIT_CONVERSIONS: 0x0204,
    c.ALLIANCES: 0x0301,
    c.ALLIANCE_MEMBERSHIPS: 0x0302,
    c.ALLIANCE_COMMITTEES: 0x0303,
    c.EXAM_SESSIONS: 0x0304,
    c.EXAM_BOOKINGS: 0x0305,
    c.DEGREE_COURSE_PURCHASES: 0x0306,
    c.MAJORS: 0x0401,
    c.TUTORING_COURSES: 0x0402,
    c.TUTORING_ENROLMENTS: 0x0403,
    c.TUTORING_COURSE_SELECTIONS: 0x0404,
}


def demo_id(collection: str, index: int) -> ObjectId:
    """The ``index``-th id of ``collection``."""
    code = COLLECTION_CODES[collection].to_bytes(2, "big")
    return ObjectId(_TIMESTAMP + code + index.to_bytes(6, "big"))


class IdFactory:
    """Hands out each collection's ids in order, starting at 1."""

    def __init__(self) -> None:
        self._next: defaultdict[str, int] = defaultdict(lambda: 1)

    def next(self, collection: str) -> ObjectId:
        index = self._next[collection]
        self._next[collection] = index + 1
        return demo_id(collection, index)
