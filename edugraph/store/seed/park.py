"""The park's catalogue: institutions, their teachers, courses and course resources.

Counts come from the figures; everything else is shaped to look like the real park:
安徽开放大学 joined first and runs the most courses, big universities follow, most
members have at least one course, each course has about sixteen resources, mostly
video lectures, and nothing is dated before the thing it belongs to existed.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime

from bson import ObjectId

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import Document, SeedContext
from edugraph.store.seed.institution_catalogue import INSTITUTIONS, OPEN_UNIVERSITY_OF_ANHUI
from edugraph.store.seed.names import person_name
from edugraph.store.seed.sampling import choose, counts_by_choice, weighted_sample
from edugraph.store.seed.subject_catalogue import (
    FIELDS_BY_KEYWORD,
    SUBJECTS,
    TITLE_VARIANTS,
    Subject,
)

LEARNER_WEIGHT = {"FLAGSHIP": 40.0, "MAJOR": 6.0, "REGULAR": 2.5, "SMALL": 1.0}
"""Share of learners (and so of exam candidates, purchases …) an institution draws."""
_COURSE_WEIGHT = {"FLAGSHIP": 60.0, "MAJOR": 5.0, "REGULAR": 1.5, "SMALL": 0.6}
_LATE_JOINER_WEIGHT = {"FLAGSHIP": 0.0, "MAJOR": 0.0, "REGULAR": 1.0, "SMALL": 3.0}
_JOINED_2022_SHARE = 0.08  # invented: of the end-2022 members, the share that joined in 2022
_RESOURCES_2022_GROWTH = 0.20  # invented: resource stock growth during 2022
_LAUNCH_AFTER_JOINING_DAYS = 30
_NON_VIDEO_KINDS = (("DOCUMENT", 55), ("EXERCISE", 35), ("LIVE_REPLAY", 10))
_ORIGINS = (("SELF_BUILT", 60), ("CO_BUILT", 25), ("SHARED", 15))
_AOU_FOUNDED = datetime(2015, 3, 16, tzinfo=UTC)


def build_park_catalogue(ctx: SeedContext) -> None:
    """Institutions, teachers, courses and resources, in that order."""
    institutions = _institutions(ctx)
    course_plan = _plan_courses(ctx, institutions)
    teachers = _teachers(ctx, institutions, Counter(inst["_id"] for inst, _ in course_plan))
    courses = _courses(ctx, course_plan, teachers)
    _resources(ctx, courses)


# -- Institutions -------------------------------------------------------------------


def _institutions(ctx: SeedContext) -> list[Document]:
    rng = ctx.rng("park.institutions")
    total, at_end_2022 = ctx.value("park.institutions"), ctx.previous("park.institutions")
    if total != len(INSTITUTIONS) or not 0 < at_end_2022 <= total:
        raise ValueError("the institution catalogue does not match park.institutions")
    joined_2022 = min(round(at_end_2022 * _JOINED_2022_SHARE), at_end_2022 - 1)
    late = total - at_end_2022 + joined_2022
    candidates = [e for e in INSTITUTIONS if _LATE_JOINER_WEIGHT[e.tier] > 0]
    weights = [_LATE_JOINER_WEIGHT[e.tier] for e in candidates]
    latecomers = weighted_sample(rng, candidates, weights, late)
    rng.shuffle(latecomers)
    joined_in = {e.name: 2022 for e in latecomers[:joined_2022]}
    joined_in |= {e.name: 2023 for e in latecomers[joined_2022:]}

    docs = []
    for entry in INSTITUTIONS:
        year = joined_in.get(entry.name)
        if entry.name == OPEN_UNIVERSITY_OF_ANHUI:
            joined_at = _AOU_FOUNDED  # it built the park
        elif year is None:
            joined_at = dates.growing(rng, dates.later(_AOU_FOUNDED, 30), _latest_join(2021))
        else:
            joined_at = dates.uniform(rng, dates.year_start(year), _latest_join(year))
        doc = ctx.add(
            c.INSTITUTIONS,
            {
                "name": entry.name,
                "kind": entry.kind,
                "city": entry.city,
                "province": "安徽",
                "joined_at": joined_at,
            },
        )
        ctx.institution_weight[doc["_id"]] = LEARNER_WEIGHT[entry.tier]
        docs.append(doc)
    return docs


def _latest_join(year: int) -> datetime:
    # Late enough in the year to count for it, early enough to launch a course before its end.
    return datetime(year, 10, 31, tzinfo=UTC)


# -- Courses ------------------------------------------------------------------------


def _plan_courses(ctx: SeedContext, institutions: list[Document]) -> list[tuple[Document, datetime]]:
    """(institution, launch date) of every course: stock before 2022, then each year's new."""
    rng = ctx.rng("park.courses.plan")
    new = {2022: ctx.previous("park.newCourses"), 2023: ctx.value("park.newCourses")}
    before_2022 = ctx.previous("park.courses") - new[2022]
    if before_2022 < 0:
        raise ValueError("park.courses 2022 is smaller than the courses new in 2022")
    tier = {entry.name: entry.tier for entry in INSTITUTIONS}
    weight = {i["_id"]: _COURSE_WEIGHT[tier[i["name"]]] for i in institutions}
    have: Counter[ObjectId] = Counter()
    plan: list[tuple[Document, datetime]] = []
    for year, count in ((None, before_2022), (2022, new[2022]), (2023, new[2023])):
        start, end = dates.period_bounds(year)
        eligible = [i for i in institutions if dates.later(i["joined_at"], _LAUNCH_AFTER_JOINING_DAYS) <= end]
        for inst in _spread_over(rng, count, eligible, weight, have):
            earliest = max(dates.later(inst["joined_at"], _LAUNCH_AFTER_JOINING_DAYS), start)
            pick = dates.growing if year is None else dates.seasonal
            plan.append((inst, pick(rng, earliest, end)))
            have[inst["_id"]] += 1
    return plan


def _spread_over(
    rng: random.Random,
    count: int,
    eligible: list[Document],
    weight: dict[ObjectId, float],
    have: Counter[ObjectId],
) -> list[Document]:
    """``count`` institutions: half go one each to institutions with no course yet, the rest
    by weight — so at small scales the big hosts (安徽开放大学) still have pages of courses."""
    empty = [i for i in eligible if have[i["_id"]] == 0]
    first = weighted_sample(rng, empty, [weight[i["_id"]] for i in empty], min(count // 2, len(empty)))
    rest = count - len(first)
    if rest and not eligible:
        raise ValueError("no institution can host the planned courses")
    extra = rng.choices(eligible, weights=[weight[i["_id"]] for i in eligible], k=rest)
    return first + extra


def _teachers(
    ctx: SeedContext, institutions: list[Document], courses_per_institution: Counter[ObjectId]
) -> dict[ObjectId, list[Document]]:
    """A handful per institution: two, plus one for every two courses it runs (at most 15)."""
    rng = ctx.rng("park.teachers")
    records = []
    for inst in institutions:
        count = min(15, 2 + math.ceil(courses_per_institution[inst["_id"]] / 2))
        for n in range(count):
            joined = inst["joined_at"]
            if n == 0:  # someone ran the institution's first course
                joined_at = dates.uniform(rng, joined, dates.later(joined, 20))
            else:
                joined_at = dates.growing(rng, joined, dates.END_OF_DATA)
            records.append({"institution_id": inst["_id"], "name": person_name(rng), "joined_at": joined_at})
    by_institution: dict[ObjectId, list[Document]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r["joined_at"]):
        doc = ctx.add(c.TEACHERS, record)
        by_institution[doc["institution_id"]].append(doc)
    return by_institution


def _courses(
    ctx: SeedContext,
    plan: list[tuple[Document, datetime]],
    teachers: dict[ObjectId, list[Document]],
) -> list[Document]:
    rng = ctx.rng("park.courses")
    docs = []
    for inst, launched_at in sorted(plan, key=lambda p: (p[1], p[0]["_id"])):
        subject = _subject_for(rng, inst["name"])
        title = subject.title + choose(rng, TITLE_VARIANTS)[0]
        origin = choose(rng, _ORIGINS)[0]
        if subject.title == "应用化工技术":  # the brief's example of co-built resources
            origin = "CO_BUILT"
        staff = [t for t in teachers[inst["_id"]] if t["joined_at"] <= launched_at]
        teacher = rng.choice(staff) if staff else teachers[inst["_id"]][0]
        doc = ctx.add(
            c.COURSES,
            {
                "institution_id": inst["_id"],
                "teacher_id": teacher["_id"],
                "title": title,
                "origin": origin,
                "launched_at": launched_at,
            },
        )
        ctx.course_topics[doc["_id"]] = subject.topics
        docs.append(doc)
    return docs


def _subject_for(rng: random.Random, institution_name: str) -> Subject:
    fields = {field for keyword, field in FIELDS_BY_KEYWORD if keyword in institution_name}
    own = [s for s in SUBJECTS if s.field in fields]
    if own and rng.random() < 0.65:
        return rng.choice(own)
    return rng.choice(SUBJECTS)


# -- Resources ----------------------------------------------------------------------


def _resource_periods(ctx: SeedContext) -> list[tuple[int | None, int, int]]:
    """(period, resources added, of which videos) before 2022, in 2022 and in 2023."""
    total = ctx.figures["park.resources"]
    video = ctx.figures["park.videoResources"]
    before = round(total.previous / (1 + _RESOURCES_2022_GROWTH))
    video_before = round(before * video.previous / total.previous)
    periods = [
        (None, before, video_before),
        (2022, total.previous - before, video.previous - video_before),
        (2023, total.value - total.previous, video.value - video.previous),
    ]
    for _, added, videos in periods:
        if not 0 <= videos <= added:
            raise ValueError("park.videoResources does not fit within park.resources")
    return periods


def _resources(ctx: SeedContext, courses: list[Document]) -> None:
    rng = ctx.rng("park.resources")
    size = {course["_id"]: rng.lognormvariate(0, 0.5) for course in courses}
    records: list[Document] = []
    for year, added, videos in _resource_periods(ctx):
        start, end = dates.period_bounds(year)
        open_courses = [course for course in courses if course["launched_at"] <= end]
        if added and not open_courses:
            raise ValueError("resources planned before any course was launched")
        kinds = ["VIDEO"] * videos + _non_video_kinds(rng, added - videos)
        rng.shuffle(kinds)
        # A course is built mostly in its launch year: new courses get a base of six
        # resources each, then the rest goes by size with new courses weighted up.
        new = [course for course in open_courses if course["launched_at"] >= start]
        base = min(6, added // len(new)) if new else 0
        weights = [size[x["_id"]] * (4 if x["launched_at"] >= start else 1) for x in open_courses]
        extra = counts_by_choice(rng, added - base * len(new), weights)
        for course, more in zip(open_courses, extra, strict=True):
            count = more + (base if course["launched_at"] >= start else 0)
            for _ in range(count):
                added_at = dates.uniform(rng, max(course["launched_at"], start), end)
                records.append({"course_id": course["_id"], "kind": kinds.pop(), "added_at": added_at})
    _title_resources(rng, ctx, records)
    fields = ("course_id", "kind", "title", "minutes", "added_at")
    for record in sorted(records, key=lambda r: (r["added_at"], r["course_id"])):
        ctx.add(c.COURSE_RESOURCES, {name: record[name] for name in fields})


def _non_video_kinds(rng: random.Random, count: int) -> list[str]:
    return choose(rng, _NON_VIDEO_KINDS, count)


_REPEAT_SUFFIXES = ("", "（续）", "：习题精讲", "：拓展与应用", "：专题复习")


def _title_resources(rng: random.Random, ctx: SeedContext, records: list[Document]) -> None:
    """Number each course's lectures in the order they were added: 第1讲, 第2讲 …"""
    per_course: dict[ObjectId, list[Document]] = defaultdict(list)
    for record in records:
        per_course[record["course_id"]].append(record)
    for course_id, items in per_course.items():
        topics = ctx.course_topics[course_id]
        seen: Counter[str] = Counter()
        for record in sorted(items, key=lambda r: r["added_at"]):
            kind = record["kind"]
            n = seen[kind]
            seen[kind] += 1
            topic = topics[n % len(topics)]
            if kind == "VIDEO":
                lap = n // len(topics)
                suffix = _REPEAT_SUFFIXES[lap] if lap < len(_REPEAT_SUFFIXES) else f"（{lap + 1}）"
                record["title"] = f"第{n + 1}讲 {topic}{suffix}"
                record["minutes"] = rng.randint(10, 45)
            elif kind == "LIVE_REPLAY":
                record["title"] = f"直播答疑回放：{topic}"
                record["minutes"] = rng.randint(50, 110)
            elif kind == "EXERCISE":
                record["title"] = f"{topic} 单元测验"
                record["minutes"] = None
            else:
                record["title"] = f"{topic} 课件与讲义"
                record["minutes"] = None
