"""Who studies in the park and what they hand in: learners, assignments, submissions.

Learners gather where continuing education happens — most at 安徽开放大学, many at the
big universities — and register no earlier than their institution joined. Teachers set
assignments on their courses in term time. Submission documents are a sample of detail
records (the daily counters carry the brief's 38 million): about one per learner, for an
assignment of their own institution's courses, handed in before it was due.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from datetime import datetime

from bson import ObjectId

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import Document, SeedContext, by_id
from edugraph.store.seed.names import person_name
from edugraph.store.seed.places import CITIES
from edugraph.store.seed.sampling import choose

_LEARNERS_BEFORE_2022_SHARE = 0.8  # invented: of the end-2022 learners, those from before 2022
_SUBMISSIONS_PER_LEARNER = ((0, 0.3), (1, 0.5), (2, 0.1), (3, 0.1))  # mean 1.0
_UNGRADED_SHARE = 0.1


def build_learning(ctx: SeedContext) -> None:
    """Learners, then assignments, then submissions linking the two."""
    learners = _learners(ctx)
    assignments = _assignments(ctx)
    _submissions(ctx, learners, assignments)


def _learners(ctx: SeedContext) -> list[Document]:
    rng = ctx.rng("park.learners")
    total = ctx.figures["park.learners"]
    before = round(total.previous * _LEARNERS_BEFORE_2022_SHARE)
    periods = (
        (None, before),
        (2022, total.previous - before),
        (2023, total.value - total.previous),
    )
    institutions = ctx.docs[c.INSTITUTIONS]
    records = []
    for year, count in periods:
        start, end = dates.period_bounds(year)
        eligible = [i for i in institutions if dates.later(i["joined_at"], 7) <= end]
        weights = [ctx.institution_weight[i["_id"]] for i in eligible]
        for inst in rng.choices(eligible, weights=weights, k=count):
            earliest = max(inst["joined_at"], start)
            pick = dates.growing if year is None else dates.seasonal
            city = inst["city"] if rng.random() < 0.85 else rng.choice(CITIES)
            records.append(
                {
                    "institution_id": inst["_id"],
                    "name": person_name(rng),
                    "city": city,
                    "registered_at": pick(rng, earliest, end),
                }
            )
    records.sort(key=lambda r: (r["registered_at"], r["institution_id"]))
    return [ctx.add(c.LEARNERS, record) for record in records]


def _assignments(ctx: SeedContext) -> list[Document]:
    rng = ctx.rng("park.assignments")
    courses = sorted(ctx.docs[c.COURSES], key=lambda d: d["launched_at"])
    launches = [course["launched_at"] for course in courses]
    # Courses of institutions with more learners get more assignments, less than linearly.
    weights = [ctx.institution_weight[course["institution_id"]] ** 0.5 for course in courses]
    teachers: dict[ObjectId, list[Document]] = defaultdict(list)
    for teacher in ctx.docs[c.TEACHERS]:
        teachers[teacher["institution_id"]].append(teacher)
    figure = ctx.figures["park.assignments"]
    records = []
    for year, count in ((2022, figure.previous), (2023, figure.value)):
        last_set = dates.later(dates.year_end(year), -8)
        for _ in range(count):
            set_at = dates.seasonal(rng, dates.year_start(year), last_set)
            open_courses = bisect.bisect_right(launches, dates.later(set_at, -3))
            if open_courses == 0:
                raise ValueError(f"assignments planned in {year} before any course was launched")
            course = rng.choices(courses[:open_courses], weights=weights[:open_courses])[0]
            teacher_id = course["teacher_id"]
            if rng.random() < 0.15:  # now and then a colleague sets the homework
                staff = [t for t in teachers[course["institution_id"]] if t["joined_at"] <= set_at]
                teacher_id = rng.choice(staff)["_id"] if staff else teacher_id
            due_at = min(dates.later(set_at, rng.randint(7, 21)), dates.year_end(year))
            records.append(
                {
                    "course_id": course["_id"],
                    "teacher_id": teacher_id,
                    "set_at": set_at,
                    "due_at": due_at,
                }
            )
    _title_assignments(ctx, records)
    records.sort(key=lambda r: (r["set_at"], r["course_id"]))
    fields = ("course_id", "teacher_id", "title", "set_at", "due_at")
    return [ctx.add(c.ASSIGNMENTS, {name: r[name] for name in fields}) for r in records]


def _title_assignments(ctx: SeedContext, records: list[Document]) -> None:
    """第1次作业, 第2次作业 … per course, each on the next topic of the course."""
    count: dict[ObjectId, int] = defaultdict(int)
    for record in sorted(records, key=lambda r: (r["set_at"], r["course_id"])):
        topics = ctx.course_topics[record["course_id"]]
        n = count[record["course_id"]]
        count[record["course_id"]] = n + 1
        record["title"] = f"第{n + 1}次作业：{topics[n % len(topics)]}"


class _OpenAssignments:
    """Assignments still open after a given moment, found by bisecting on due dates."""

    def __init__(self, assignments: list[Document]) -> None:
        self.items = sorted(assignments, key=lambda a: (a["due_at"], a["_id"]))
        self.due = [a["due_at"] for a in self.items]

    def after(self, moment: datetime) -> list[Document]:
        return self.items[bisect.bisect_right(self.due, moment) :]


def _submissions(ctx: SeedContext, learners: list[Document], assignments: list[Document]) -> None:
    rng = ctx.rng("park.submissions")
    courses = by_id(ctx.docs[c.COURSES])
    per_institution: dict[ObjectId, list[Document]] = defaultdict(list)
    for assignment in assignments:
        per_institution[courses[assignment["course_id"]]["institution_id"]].append(assignment)
    local = {inst: _OpenAssignments(items) for inst, items in per_institution.items()}
    anywhere = _OpenAssignments(assignments)
    records = []
    for learner in learners:
        wanted = choose(rng, _SUBMISSIONS_PER_LEARNER)[0]
        if not wanted:
            continue
        # A learner can only hand in work that is still open a day after they registered.
        cutoff = dates.later(learner["registered_at"], 1)
        own = local.get(learner["institution_id"])
        candidates = own.after(cutoff) if own else []
        if not candidates:
            candidates = anywhere.after(cutoff)
        for assignment in rng.sample(candidates, min(wanted, len(candidates))):
            earliest = max(assignment["set_at"], learner["registered_at"])
            records.append(
                {
                    "assignment_id": assignment["_id"],
                    "learner_id": learner["_id"],
                    "submitted_at": dates.uniform(rng, earliest, dates.later(assignment["due_at"], -1 / 24)),
                    "score": _score(rng),
                }
            )
    records.sort(key=lambda r: (r["submitted_at"], r["learner_id"]))
    for record in records:
        ctx.add(c.SUBMISSIONS, record)


def _score(rng: random.Random) -> int | None:
    if rng.random() < _UNGRADED_SHARE:
        return None
    return round(rng.triangular(40, 100, 85))
