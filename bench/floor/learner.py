"""The floor's LearnerProfile: the contract's JSON, built directly; and the benchmark's
own LearnersPage.

Four levels of reads; the institutions the page names (the learner's own, each
submission's course's, each major's chief university) are fetched together, last.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.floor.fetch import Database, Document, by_ids, many_by, page_of, pages_by, top_level_page, unique
from edugraph.ids import IdPrefix, parse_id, to_public_id
from edugraph.schema.pagination import decode_cursor, encode_cursor
from edugraph.store import collections as c
from edugraph.store.counting import count_matching

SUBMISSIONS = 5
OUTCOMES = 5
LEARNERS_BY_ID = "learners:id"
"""The cursor ordering of learners by id, as edugraph.resolvers.park names it."""


def institution_json(institutions: dict[Any, Document], key: Any) -> Document | None:
    doc = institutions.get(key)
    return None if doc is None else {"id": to_public_id(IdPrefix.INSTITUTION, doc["_id"]), "name": doc["name"]}


async def learner_profile(db: Database, variables: dict[str, Any]) -> Document:
    oid = parse_id(IdPrefix.LEARNER, variables["id"])
    found, submission_pages, accounts, enrolments_by, bookings_by = await asyncio.gather(
        by_ids(db, c.LEARNERS, [oid], ("name", "institution_id")),
        pages_by(db, c.SUBMISSIONS, "learner_id", [oid], SUBMISSIONS, ("submitted_at", "score", "assignment_id")),
        many_by(db, c.CREDIT_ACCOUNTS, "learner_id", [oid], ("opened_at",)),
        many_by(db, c.TUTORING_ENROLMENTS, "learner_id", [oid], ("enrolled_at", "major_id")),
        many_by(db, c.EXAM_BOOKINGS, "learner_id", [oid], ("status", "session_id")),
    )
    learner = found.get(oid)
    if learner is None:
        return {"learner": None}
    submission_page = page_of(submission_pages, oid)
    submissions = submission_page.documents[:SUBMISSIONS]
    account = next(iter(accounts.get(oid, [])), None)
    enrolments = enrolments_by.get(oid, [])
    bookings = bookings_by.get(oid, [])

    assignments, outcome_pages, majors, sessions = await asyncio.gather(
        by_ids(db, c.ASSIGNMENTS, unique(s.get("assignment_id") for s in submissions), ("title", "course_id")),
        pages_by(
            db,
            c.LEARNING_OUTCOMES,
            "account_id",
            [account["_id"]] if account else [],
            OUTCOMES,
            ("title", "kind", "status", "credits", "recognised_by", "pending_conversion"),
        ),
        by_ids(db, c.MAJORS, unique(e.get("major_id") for e in enrolments), ("name", "chief_institution_id")),
        by_ids(db, c.EXAM_SESSIONS, unique(b.get("session_id") for b in bookings), ("year", "season")),
    )
    outcome_page = page_of(outcome_pages, account["_id"]) if account else None
    outcomes = outcome_page.documents[:OUTCOMES] if outcome_page else []

    courses, centres, conversions = await asyncio.gather(
        by_ids(db, c.COURSES, unique(a.get("course_id") for a in assignments.values()), ("title", "institution_id")),
        by_ids(db, c.CERTIFICATION_CENTRES, unique(o.get("recognised_by") for o in outcomes), ("name", "kind")),
        many_by(db, c.CREDIT_CONVERSIONS, "outcome_id", [o["_id"] for o in outcomes], ("credits",)),
    )
    institution_ids = unique(
        [
            learner.get("institution_id"),
            *(doc.get("institution_id") for doc in courses.values()),
            *(doc.get("chief_institution_id") for doc in majors.values()),
        ]
    )
    institutions = await by_ids(db, c.INSTITUTIONS, institution_ids, ("name",))

    def course(key: Any) -> Document | None:
        doc = courses.get(key)
        if doc is None:
            return None
        return {
            "id": to_public_id(IdPrefix.COURSE, doc["_id"]),
            "title": doc["title"],
            "institution": institution_json(institutions, doc.get("institution_id")),
        }

    def submission(doc: Document) -> Document:
        assignment = assignments.get(doc.get("assignment_id"))
        return {
            "id": to_public_id(IdPrefix.SUBMISSION, doc["_id"]),
            "submittedAt": doc["submitted_at"].isoformat(),
            "score": doc.get("score"),
            "assignment": None
            if assignment is None
            else {
                "id": to_public_id(IdPrefix.ASSIGNMENT, assignment["_id"]),
                "title": assignment["title"],
                "course": course(assignment.get("course_id")),
            },
        }

    def outcome(doc: Document) -> Document:
        centre = centres.get(doc.get("recognised_by"))
        written = conversions.get(doc["_id"], [])
        pending = doc.get("pending_conversion")
        shown = written or ([pending] if pending is not None else [])
        return {
            "id": to_public_id(IdPrefix.LEARNING_OUTCOME, doc["_id"]),
            "title": doc["title"],
            "kind": doc["kind"],
            "status": doc["status"],
            "credits": float(doc["credits"]),
            "recognisedBy": None
            if centre is None
            else {
                "id": to_public_id(IdPrefix.CERTIFICATION_CENTRE, centre["_id"]),
                "name": centre["name"],
                "kind": centre["kind"],
            },
            "conversions": [
                {"id": to_public_id(IdPrefix.CREDIT_CONVERSION, d["_id"]), "credits": float(d["credits"])}
                for d in shown
            ],
        }

    def enrolment(doc: Document) -> Document:
        major = majors.get(doc.get("major_id"))
        return {
            "id": to_public_id(IdPrefix.TUTORING_ENROLMENT, doc["_id"]),
            "enrolledAt": doc["enrolled_at"].isoformat(),
            "major": None
            if major is None
            else {
                "id": to_public_id(IdPrefix.MAJOR, major["_id"]),
                "name": major["name"],
                "chiefUniversity": institution_json(institutions, major.get("chief_institution_id")),
            },
        }

    def booking(doc: Document) -> Document:
        session = sessions.get(doc.get("session_id"))
        return {
            "id": to_public_id(IdPrefix.EXAM_BOOKING, doc["_id"]),
            # A cancellation half-way through its two writes already reads as cancelled.
            "status": "CANCELLED" if doc["status"] == "CANCELLING" else doc["status"],
            "session": None
            if session is None
            else {
                "id": to_public_id(IdPrefix.EXAM_SESSION, session["_id"]),
                "year": session["year"],
                "season": session["season"],
            },
        }

    return {
        "learner": {
            "id": to_public_id(IdPrefix.LEARNER, oid),
            "name": learner["name"],
            "institution": institution_json(institutions, learner.get("institution_id")),
            "submissions": {"totalCount": submission_page.total, "nodes": [submission(d) for d in submissions]},
            "creditAccount": None
            if account is None or outcome_page is None
            else {
                "id": to_public_id(IdPrefix.CREDIT_ACCOUNT, account["_id"]),
                "openedAt": account["opened_at"].isoformat(),
                "learningOutcomes": {"totalCount": outcome_page.total, "nodes": [outcome(d) for d in outcomes]},
            },
            "tutoringEnrolments": [enrolment(d) for d in enrolments],
            "examBookings": [booking(d) for d in bookings],
        }
    }


async def learners_page(db: Database, variables: dict[str, Any]) -> Document:
    """A page of learners after a cursor, in ``_id`` order, and the total."""
    first = int(variables["first"])
    cursor = decode_cursor(variables.get("after"), LEARNERS_BY_ID)
    where = {"_id": {"$gt": cursor.oid}} if cursor is not None else {}
    found, total = await asyncio.gather(
        top_level_page(db, c.LEARNERS, first, ("name", "city"), where), count_matching(db, c.LEARNERS, {})
    )
    shown = found[:first]
    return {
        "learners": {
            "totalCount": total,
            "pageInfo": {
                "hasNextPage": len(found) > first,
                "endCursor": encode_cursor(LEARNERS_BY_ID, (), shown[-1]["_id"]) if shown else None,
            },
            "nodes": [
                {"id": to_public_id(IdPrefix.LEARNER, doc["_id"]), "name": doc["name"], "city": doc.get("city")}
                for doc in shown
            ],
        }
    }
