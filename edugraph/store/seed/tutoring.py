"""Self-study examination tutoring: majors, tutoring courses, enrolments, course selections.

The catalogue (12 majors, 116 courses, 4 chief universities) is exact. Learners enrol in
a major — most of them 安徽开放大学 learners, since it runs the tutoring platform — and
then select courses of that major only, never the same course twice, never before the
course was on the platform.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bson import ObjectId

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import Document, SeedContext
from edugraph.store.seed.institution_catalogue import OPEN_UNIVERSITY_OF_ANHUI
from edugraph.store.seed.major_catalogue import MAJORS, MajorEntry
from edugraph.store.seed.pools import LearnerPool

_OWN_LEARNER_SHARE = 0.6  # enrolments drawn from 安徽开放大学's own learners
_INTAKE_MONTHS = {m: (3.0 if m in (3, 9) else 1.5 if m in (2, 4, 8, 10) else 0.3) for m in range(1, 13)}


def build_tutoring(ctx: SeedContext) -> None:
    """Majors and their courses, then enrolments and the selections they make."""
    majors = _majors(ctx)
    courses = _tutoring_courses(ctx, majors)
    enrolments = _enrolments(ctx, majors, courses)
    _selections(ctx, enrolments, courses)


def _check_catalogue(ctx: SeedContext) -> None:
    majors, chiefs = ctx.figures["tutoring.majors"], ctx.figures["tutoring.chiefUniversities"]
    by_2022 = [m for m in MAJORS if m.since is None or m.since <= 2022]
    if (len(MAJORS), len(by_2022)) != (majors.value, majors.previous):
        raise ValueError("the major catalogue does not match tutoring.majors")
    if (len({m.chief for m in MAJORS}), len({m.chief for m in by_2022})) != (
        chiefs.value,
        chiefs.previous,
    ):
        raise ValueError("the major catalogue does not match tutoring.chiefUniversities")


def _majors(ctx: SeedContext) -> list[tuple[MajorEntry, Document]]:
    _check_catalogue(ctx)
    rng = ctx.rng("tutoring.majors")
    institutions = {doc["name"]: doc for doc in ctx.docs[c.INSTITUTIONS]}
    result = []
    for entry in MAJORS:
        if entry.since is None:
            established_at = dates.growing(rng, datetime(2018, 3, 1, tzinfo=UTC), dates.year_end(2021))
        else:  # new majors open for the spring intake
            established_at = dates.uniform(rng, dates.year_start(entry.since), datetime(entry.since, 2, 28, tzinfo=UTC))
        doc = ctx.add(
            c.MAJORS,
            {
                "code": entry.code,
                "name": entry.name,
                "level": entry.level,
                "chief_institution_id": institutions[entry.chief]["_id"],
                "established_at": established_at,
            },
        )
        result.append((entry, doc))
    return result


def _tutoring_courses(ctx: SeedContext, majors: list[tuple[MajorEntry, Document]]) -> dict[ObjectId, list[Document]]:
    """Each major's courses; the figures' 2023 additions beyond new majors extend old ones."""
    rng = ctx.rng("tutoring.courses")
    figure = ctx.figures["tutoring.courses"]
    if figure.value != sum(len(entry.courses) for entry, _ in majors):
        raise ValueError("the major catalogue does not match tutoring.courses")
    new_majors_courses = sum(len(e.courses) for e, _ in majors if e.since == 2023)
    extra_2023 = figure.value - figure.previous - new_majors_courses
    older = [(e, d) for e, d in majors if e.since != 2023]
    if not 0 <= extra_2023 <= len(older):
        raise ValueError("tutoring.courses 2022 does not fit the major catalogue")
    # The largest older majors each gained their last course in 2023.
    grown = {d["_id"] for _, d in sorted(older, key=lambda p: -len(p[0].courses))[:extra_2023]}
    per_major: dict[ObjectId, list[Document]] = {}
    for entry, major in majors:
        established = major["established_at"]
        first_year_end = dates.year_end(2021 if entry.since is None else entry.since)
        docs = []
        for n, course in enumerate(entry.courses):
            if major["_id"] in grown and n == len(entry.courses) - 1:
                added_at = dates.seasonal(rng, dates.year_start(2023), datetime(2023, 9, 30, tzinfo=UTC))
            else:  # a major opens with its course list, filled in over its first months
                added_at = dates.uniform(rng, established, min(dates.later(established, 60), first_year_end))
            docs.append(
                ctx.add(
                    c.TUTORING_COURSES,
                    {
                        "major_id": major["_id"],
                        "code": course.code,
                        "title": course.title,
                        "credits": course.credits,
                        "added_at": added_at,
                    },
                )
            )
        per_major[major["_id"]] = docs
    return per_major


def _enrolments(
    ctx: SeedContext,
    majors: list[tuple[MajorEntry, Document]],
    courses: dict[ObjectId, list[Document]],
) -> list[Document]:
    rng = ctx.rng("tutoring.enrolments")
    aou = next(d["_id"] for d in ctx.docs[c.INSTITUTIONS] if d["name"] == OPEN_UNIVERSITY_OF_ANHUI)
    pool = LearnerPool(ctx.docs[c.LEARNERS])
    taken: set[ObjectId] = set()
    figure = ctx.figures["tutoring.enrolments"]
    records = []
    for year, count in ((2022, figure.previous), (2023, figure.value)):
        for _ in range(count):
            # Intakes run to October so the term's course selections can follow.
            enrolled_at = dates.seasonal(
                rng, dates.year_start(year), datetime(year, 10, 31, tzinfo=UTC), _INTAKE_MONTHS
            )
            open_majors = [d for _, d in majors if d["established_at"] <= enrolled_at]
            if not open_majors:
                raise ValueError(f"enrolments planned in {year} before any major opened")
            major = rng.choices(open_majors, weights=[len(courses[d["_id"]]) for d in open_majors])[0]
            learner = _free_learner(rng, pool, taken, enrolled_at, prefer=aou)
            taken.add(learner["_id"])
            records.append({"learner_id": learner["_id"], "major_id": major["_id"], "enrolled_at": enrolled_at})
    records.sort(key=lambda r: (r["enrolled_at"], r["learner_id"]))
    return [ctx.add(c.TUTORING_ENROLMENTS, r) for r in records]


def _free_learner(
    rng: random.Random,
    pool: LearnerPool,
    taken: set[ObjectId],
    moment: datetime,
    *,
    prefer: ObjectId,
) -> Document:
    learner = None
    if rng.random() < _OWN_LEARNER_SHARE:
        learner = pool.pick(rng, moment, taken, prefer)
    learner = learner or pool.pick(rng, moment, taken)
    if learner is None:
        raise ValueError("not enough learners for the tutoring enrolments")
    return learner


def _selections(ctx: SeedContext, enrolments: list[Document], courses: dict[ObjectId, list[Document]]) -> None:
    rng = ctx.rng("tutoring.selections")
    chosen: dict[ObjectId, set[ObjectId]] = {e["_id"]: set() for e in enrolments}
    figure = ctx.figures["tutoring.courseSelections"]
    records = []
    for year, count in ((2022, figure.previous), (2023, figure.value)):
        start, end = dates.year_start(year), dates.year_end(year)
        # Options: courses of the enrolled major on the platform by the year's end and not
        # yet selected by that learner.
        options = {
            e["_id"]: [
                course
                for course in courses[e["major_id"]]
                if course["added_at"] <= end and course["_id"] not in chosen[e["_id"]]
            ]
            for e in enrolments
            if e["enrolled_at"] <= end
        }
        open_enrolments = [e for e in enrolments if options.get(e["_id"])]
        for _ in range(count):
            if not open_enrolments:
                raise ValueError(f"tutoring.courseSelections {year} exceeds what enrolments allow")
            weights = [len(options[e["_id"]]) for e in open_enrolments]
            enrolment = rng.choices(open_enrolments, weights=weights)[0]
            remaining = options[enrolment["_id"]]
            course = remaining.pop(rng.randrange(len(remaining)))
            if not remaining:
                open_enrolments.remove(enrolment)
            chosen[enrolment["_id"]].add(course["_id"])
            earliest = max(enrolment["enrolled_at"], course["added_at"], start)
            latest = min(dates.later(earliest, 45), end)
            records.append(
                {
                    "learner_id": enrolment["learner_id"],
                    "tutoring_course_id": course["_id"],
                    "enrolment_id": enrolment["_id"],
                    "selected_at": dates.uniform(rng, earliest, latest),
                }
            )
    records.sort(key=lambda r: (r["selected_at"], r["learner_id"]))
    for record in records:
        ctx.add(c.TUTORING_COURSE_SELECTIONS, record)
