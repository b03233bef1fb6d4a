"""The floor's InstitutionsDirectory and InstitutionProfile: the contract's JSON, built directly."""

from __future__ import annotations

import asyncio
from typing import Any

from bson import ObjectId

from bench.floor.fetch import Database, Document, by_ids, many_by, page_of, pages_by, top_level_page, unique
from edugraph.ids import IdPrefix, parse_id, to_public_id
from edugraph.loaders.base import Page
from edugraph.schema.pagination import encode_cursor, id_cursor
from edugraph.store import collections as c
from edugraph.store.counting import count_matching

DIRECTORY_COURSES = 10
DIRECTORY_RESOURCES = 5
PROFILE_COURSES = 5
PROFILE_RESOURCES = 3
PROFILE_LEARNERS = 3
PROFILE_TUTORING_COURSES = 3


def alliance_ids(memberships: dict[Any, list[Document]]) -> list[ObjectId]:
    return unique(m["alliance_id"] for docs in memberships.values() for m in docs)


def alliances_of(memberships: list[Document], alliances: dict[Any, Document], *fields: str) -> list[Document]:
    """An institution's alliances, in membership order, skipping any that are gone."""
    found = [alliances.get(m["alliance_id"]) for m in memberships]
    return [
        {"id": to_public_id(IdPrefix.ALLIANCE, doc["_id"]), **{f: doc[f] for f in fields}}
        for doc in found
        if doc is not None
    ]


def shown_ids(pages: dict[Any, Page], first: int) -> list[ObjectId]:
    """The ids of the documents the pages show (each page without its look-ahead one)."""
    return [doc["_id"] for page in pages.values() for doc in page.documents[:first]]


async def institutions_directory(db: Database, variables: dict[str, Any]) -> Document:
    first = int(variables["first"])
    institutions, total = await asyncio.gather(
        top_level_page(db, c.INSTITUTIONS, first, ("name", "kind")), count_matching(db, c.INSTITUTIONS, {})
    )
    shown = institutions[:first]
    ids = [doc["_id"] for doc in shown]
    courses, memberships, centres = await asyncio.gather(
        pages_by(db, c.COURSES, "institution_id", ids, DIRECTORY_COURSES, ("title",)),
        many_by(db, c.ALLIANCE_MEMBERSHIPS, "institution_id", ids, ("alliance_id",)),
        many_by(db, c.CERTIFICATION_CENTRES, "host_institution_id", ids, ("name",)),
    )
    resources, alliances = await asyncio.gather(
        pages_by(
            db, c.COURSE_RESOURCES, "course_id", shown_ids(courses, DIRECTORY_COURSES), DIRECTORY_RESOURCES, ("kind",)
        ),
        by_ids(db, c.ALLIANCES, alliance_ids(memberships), ("name",)),
    )

    def course(doc: Document) -> Document:
        page = page_of(resources, doc["_id"])
        return {
            "id": to_public_id(IdPrefix.COURSE, doc["_id"]),
            "title": doc["title"],
            "resources": {
                "totalCount": page.total,
                "nodes": [
                    {"id": to_public_id(IdPrefix.COURSE_RESOURCE, r["_id"]), "kind": r["kind"]}
                    for r in page.documents[:DIRECTORY_RESOURCES]
                ],
            },
        }

    def institution(doc: Document) -> Document:
        page = page_of(courses, doc["_id"])
        return {
            "id": to_public_id(IdPrefix.INSTITUTION, doc["_id"]),
            "name": doc["name"],
            "kind": doc["kind"],
            "courses": {"totalCount": page.total, "nodes": [course(d) for d in page.documents[:DIRECTORY_COURSES]]},
            "alliances": alliances_of(memberships.get(doc["_id"], []), alliances, "name"),
            "certificationCentres": [
                {"id": to_public_id(IdPrefix.CERTIFICATION_CENTRE, d["_id"]), "name": d["name"]}
                for d in centres.get(doc["_id"], [])
            ],
        }

    return {
        "institutions": {
            "totalCount": total,
            "pageInfo": {
                "hasNextPage": len(institutions) > first,
                "endCursor": encode_cursor("institutions:id", (), shown[-1]["_id"]) if shown else None,
            },
            "nodes": [institution(doc) for doc in shown],
        }
    }


async def institution_profile(db: Database, variables: dict[str, Any]) -> Document:
    # Every first-level read is keyed by the id asked for, so all go out at once.
    oid = parse_id(IdPrefix.INSTITUTION, variables["id"])
    found, courses, learners, centres, memberships, majors = await asyncio.gather(
        by_ids(db, c.INSTITUTIONS, [oid], ("name", "kind", "city")),
        pages_by(db, c.COURSES, "institution_id", [oid], PROFILE_COURSES, ("title",)),
        pages_by(db, c.LEARNERS, "institution_id", [oid], PROFILE_LEARNERS, ("name",)),
        many_by(db, c.CERTIFICATION_CENTRES, "host_institution_id", [oid], ("name", "kind")),
        many_by(db, c.ALLIANCE_MEMBERSHIPS, "institution_id", [oid], ("alliance_id",)),
        many_by(db, c.MAJORS, "chief_institution_id", [oid], ("name",)),
    )
    doc = found.get(oid)
    if doc is None:
        return {"institution": None}
    major_docs = majors.get(oid, [])
    resources, alliances, tutoring = await asyncio.gather(
        pages_by(
            db,
            c.COURSE_RESOURCES,
            "course_id",
            shown_ids(courses, PROFILE_COURSES),
            PROFILE_RESOURCES,
            ("kind", "title"),
        ),
        by_ids(db, c.ALLIANCES, alliance_ids(memberships), ("name", "kind")),
        pages_by(
            db, c.TUTORING_COURSES, "major_id", [m["_id"] for m in major_docs], PROFILE_TUTORING_COURSES, ("title",)
        ),
    )
    course_page = page_of(courses, oid)
    course_docs = course_page.documents[:PROFILE_COURSES]
    learner_page = page_of(learners, oid)

    def edge(course: Document) -> Document:
        page = page_of(resources, course["_id"])
        return {
            "cursor": id_cursor(course),
            "node": {
                "id": to_public_id(IdPrefix.COURSE, course["_id"]),
                "title": course["title"],
                "resources": {
                    "totalCount": page.total,
                    "nodes": [
                        {"id": to_public_id(IdPrefix.COURSE_RESOURCE, r["_id"]), "kind": r["kind"], "title": r["title"]}
                        for r in page.documents[:PROFILE_RESOURCES]
                    ],
                },
            },
        }

    def major(doc: Document) -> Document:
        page = page_of(tutoring, doc["_id"])
        return {
            "id": to_public_id(IdPrefix.MAJOR, doc["_id"]),
            "name": doc["name"],
            "tutoringCourses": {
                "totalCount": page.total,
                "nodes": [
                    {"id": to_public_id(IdPrefix.TUTORING_COURSE, t["_id"]), "title": t["title"]}
                    for t in page.documents[:PROFILE_TUTORING_COURSES]
                ],
            },
        }

    return {
        "institution": {
            "id": to_public_id(IdPrefix.INSTITUTION, oid),
            "name": doc["name"],
            "kind": doc["kind"],
            "city": doc["city"],
            "courses": {
                "totalCount": course_page.total,
                "pageInfo": {
                    "hasNextPage": len(course_page.documents) > PROFILE_COURSES,
                    "endCursor": id_cursor(course_docs[-1]) if course_docs else None,
                },
                "edges": [edge(d) for d in course_docs],
            },
            "learners": {
                "totalCount": learner_page.total,
                "nodes": [
                    {"id": to_public_id(IdPrefix.LEARNER, d["_id"]), "name": d["name"]}
                    for d in learner_page.documents[:PROFILE_LEARNERS]
                ],
            },
            "certificationCentres": [
                {"id": to_public_id(IdPrefix.CERTIFICATION_CENTRE, d["_id"]), "name": d["name"], "kind": d["kind"]}
                for d in centres.get(oid, [])
            ],
            "alliances": alliances_of(memberships.get(oid, []), alliances, "name", "kind"),
            "chiefExamMajors": [major(d) for d in major_docs],
        }
    }
