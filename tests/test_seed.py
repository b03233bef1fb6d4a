"""The demo data: deterministic, idempotent, with real names and consistent references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from edugraph.store import collections as c
from edugraph.store.seed import generate, seed_database

SMALL = 0.001


def test_the_same_seed_number_generates_the_same_data() -> None:
    assert generate(SMALL, 7) == generate(SMALL, 7)


def test_another_seed_number_generates_other_data() -> None:
    assert generate(SMALL, 7)[c.LEARNERS] != generate(SMALL, 8)[c.LEARNERS]


def test_every_reference_points_at_an_existing_document() -> None:
    data = generate(SMALL, 7)
    ids = {name: {doc["_id"] for doc in docs} for name, docs in data.items()}
    targets = {
        "institution_id": c.INSTITUTIONS,
        "host_institution_id": c.INSTITUTIONS,
        "chief_institution_id": c.INSTITUTIONS,
        "course_id": c.COURSES,
        "teacher_id": c.TEACHERS,
        "learner_id": c.LEARNERS,
        "assignment_id": c.ASSIGNMENTS,
        "account_id": c.CREDIT_ACCOUNTS,
        "outcome_id": c.LEARNING_OUTCOMES,
        "recognised_by": c.CERTIFICATION_CENTRES,
        "alliance_id": c.ALLIANCES,
        "session_id": c.EXAM_SESSIONS,
        "major_id": c.MAJORS,
        "tutoring_course_id": c.TUTORING_COURSES,
        "enrolment_id": c.TUTORING_ENROLMENTS,
    }
    for collection, docs in data.items():
        for doc in docs:
            for field, target in targets.items():
                if doc.get(field) is not None:
                    assert doc[field] in ids[target], (collection, field)


def test_real_institutions_of_the_brief_are_present() -> None:
    names = {doc["name"] for doc in generate(SMALL, 7)[c.INSTITUTIONS]}
    assert {
        "安徽开放大学",
        "合肥工业大学",
        "安徽大学",
        "安徽医科大学",
        "安徽师范大学",
        "安徽财经大学",
        "安徽工程大学",
    } <= names
    assert len(names) == 140


async def test_seeding_twice_leaves_the_same_data(tmp_path: Path) -> None:
    from mongoeco import AsyncMongoClient
    from mongoeco.engines.memory import MemoryEngine

    engine = MemoryEngine()
    client: Any = AsyncMongoClient(engine)
    await engine.connect()
    try:
        db = client["seed_twice"]
        first = await seed_database(db, scale=SMALL, seed_number=7, progress=False)
        snapshot = await db[c.LEARNERS].find({}, sort=[("_id", 1)]).to_list()
        second = await seed_database(db, scale=SMALL, seed_number=7, progress=False)
        assert second.skipped
        assert await db[c.LEARNERS].find({}, sort=[("_id", 1)]).to_list() == snapshot
        assert first.counts[c.INSTITUTIONS] == await db[c.INSTITUTIONS].count_documents({}) == 140
    finally:
        await engine.disconnect()
