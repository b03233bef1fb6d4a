"""Alliances, their members and committees, and the degree foreign-language exam.

Four alliances as the brief describes them: the Anhui public English alliance (which
organises the degree-language exam), the Anhui cooperation alliance with its three
committees, Jiangxi's assessment alliance (a partner with no Anhui members) and the
planned Anhui–Jiangxi alliance. Exam sessions are held at member-style host universities
twice a year; a session's ``booked`` is exactly its non-cancelled bookings.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bson import ObjectId

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import Document, SeedContext
from edugraph.store.seed.institution_catalogue import OPEN_UNIVERSITY_OF_ANHUI
from edugraph.store.seed.pools import LearnerPool
from edugraph.store.seed.sampling import apportion, choose, weighted_sample
from edugraph.store.seed.subject_catalogue import DEGREE_COURSE_PRODUCTS

_ALLIANCES: tuple[Document, ...] = (
    {
        "name": "安徽继续教育公共英语联盟",
        "kind": "PUBLIC_ENGLISH",
        "status": "ACTIVE",
        "provinces": ["安徽"],
        "founded_at": datetime(2019, 4, 20, tzinfo=UTC),
        "description": "组织学位外语辅导与考试预约，推进学位外语学习成果存储、认定与应用。",
    },
    {
        "name": "安徽高校继续教育合作联盟",
        "kind": "COOPERATION",
        "status": "ACTIVE",
        "provinces": ["安徽"],
        "founded_at": datetime(2018, 11, 16, tzinfo=UTC),
        "description": "全省本专科高校及机构共建共享继续教育资源，协同推进改革试点。",
    },
    {
        "name": "江西高等学历继续教育学位外语考评高校联盟",
        "kind": "DEGREE_LANGUAGE_ASSESSMENT",
        "status": "ACTIVE",
        "provinces": ["江西"],
        "founded_at": datetime(2020, 9, 12, tzinfo=UTC),
        "description": "江西高校学位外语考评合作组织，与安徽方面推进考评合作。",
    },
    {
        "name": "皖赣继续教育合作联盟",
        "kind": "CROSS_PROVINCE",
        "status": "PLANNED",
        "provinces": ["安徽", "江西"],
        "founded_at": None,  # planned: not founded yet
        "description": "皖赣两省谋划共建的继续教育合作联盟，推动两省多方位深度合作。",
    },
)

_COMMITTEES = (
    ("学分银行改革专委会", "学分银行建设改革：学习成果存储、认定与转换的规则与试点。"),
    ("自考助学改革专委会", "自考助学服务改革：线上线下融合的助学模式与质量标准。"),
    ("教学改革与质量保障专委会", "教学改革与质量保障：教学设计规范、课程准入与质量监控。"),
)

_MEMBERS_BEFORE_2022 = {"PUBLIC_ENGLISH": 33, "COOPERATION": 52}  # invented split of 2022 stock
_CROSS_PROVINCE_MEMBERS = 8
_KIND_WEIGHT = {
    "PUBLIC_ENGLISH": {"UNIVERSITY": 3.0, "OPEN_UNIVERSITY": 2.0, "VOCATIONAL_COLLEGE": 1.0},
    "COOPERATION": {
        "UNIVERSITY": 3.0,
        "OPEN_UNIVERSITY": 2.0,
        "VOCATIONAL_COLLEGE": 2.0,
        "TRAINING_ORGANISATION": 0.5,
    },
    "CROSS_PROVINCE": {"UNIVERSITY": 1.0, "OPEN_UNIVERSITY": 1.0},
}
_CANCELLED_SHARE = 0.08
_NO_SHOW_SHARE = 0.08
_PURCHASE_MONTHS = {m: (2.0 if m in (2, 3, 8, 9) else 1.0 if m in (4, 10) else 0.5) for m in range(1, 13)}


def build_alliances(ctx: SeedContext) -> None:
    """Alliances, memberships, committees, exam sessions with bookings, and purchases."""
    alliances = {doc["kind"]: ctx.add(c.ALLIANCES, dict(doc)) for doc in _ALLIANCES}
    _memberships(ctx, alliances)
    for name, focus in _COMMITTEES:
        ctx.add(
            c.ALLIANCE_COMMITTEES,
            {"alliance_id": alliances["COOPERATION"]["_id"], "name": name, "focus": focus},
        )
    bookers = _exams(ctx, alliances["PUBLIC_ENGLISH"])
    _purchases(ctx, bookers)


# -- Memberships --------------------------------------------------------------------


def _memberships(ctx: SeedContext, alliances: dict[str, Document]) -> None:
    rng = ctx.rng("alliance.memberships")
    figures = {
        "PUBLIC_ENGLISH": ctx.figures["alliance.publicEnglishMembers"],
        "COOPERATION": ctx.figures["alliance.cooperationMembers"],
    }
    records = []
    for kind, figure in figures.items():
        alliance = alliances[kind]
        members = _pick_members(ctx, rng, kind, figure.value)
        before = min(_MEMBERS_BEFORE_2022[kind], figure.previous)
        founders = before // 2
        for n, inst in enumerate(members):
            if n < founders:
                joined_at = alliance["founded_at"]
            elif n < before:
                joined_at = dates.growing(rng, alliance["founded_at"], dates.year_end(2021))
            else:
                year = 2022 if n < figure.previous else 2023
                joined_at = dates.seasonal(rng, dates.year_start(year), dates.year_end(year))
            records.append((alliance["_id"], inst["_id"], joined_at))
    # The planned Anhui–Jiangxi alliance signed up its first Anhui members late in 2023.
    cross = alliances["CROSS_PROVINCE"]
    for inst in _pick_members(ctx, rng, "CROSS_PROVINCE", _CROSS_PROVINCE_MEMBERS):
        joined_at = dates.uniform(rng, datetime(2023, 11, 1, tzinfo=UTC), dates.END_OF_DATA)
        records.append((cross["_id"], inst["_id"], joined_at))
    records.sort(key=lambda r: (r[2], r[0], r[1]))
    for alliance_id, institution_id, joined_at in records:
        ctx.add(
            c.ALLIANCE_MEMBERSHIPS,
            {"alliance_id": alliance_id, "institution_id": institution_id, "joined_at": joined_at},
        )


def _pick_members(ctx: SeedContext, rng: random.Random, kind: str, count: int) -> list[Document]:
    """安徽开放大学 (which runs the alliances' platform) first, then a weighted draw."""
    weights = _KIND_WEIGHT[kind]
    institutions = ctx.docs[c.INSTITUTIONS]
    leader = [i for i in institutions if i["name"] == OPEN_UNIVERSITY_OF_ANHUI]
    others = [i for i in institutions if i["kind"] in weights and i["name"] != OPEN_UNIVERSITY_OF_ANHUI]
    draw = [weights[i["kind"]] * ctx.institution_weight[i["_id"]] ** 0.5 for i in others]
    if count - len(leader) > len(others):
        raise ValueError(f"not enough institutions for {count} {kind} members")
    return leader + weighted_sample(rng, others, draw, count - len(leader))


# -- Degree foreign-language exam ---------------------------------------------------


def _exam_day(year: int, month: int) -> datetime:
    """The third Saturday of the month, 09:00 Beijing time (01:00 UTC)."""
    first = datetime(year, month, 1, 1, tzinfo=UTC)
    saturday = first + timedelta(days=(5 - first.weekday()) % 7)
    return saturday + timedelta(weeks=2)


def _exams(ctx: SeedContext, organiser: Document) -> dict[int, list[Document]]:
    """Sessions and bookings of 2022 and 2023; returns each year's candidates."""
    rng = ctx.rng("alliance.exams")
    universities = [i for i in ctx.docs[c.INSTITUTIONS] if i["kind"] == "UNIVERSITY"]
    hosts_figure = ctx.figures["alliance.degreeLanguageExamUniversities"]
    if hosts_figure.value > len(universities) or hosts_figure.previous > hosts_figure.value:
        raise ValueError("not enough universities to host the degree-language exam")
    weights = [ctx.institution_weight[i["_id"]] for i in universities]
    # The 2022 hosts are the first of the 2023 ones: a few universities joined in 2023.
    hosts = weighted_sample(rng, universities, weights, hosts_figure.value)
    candidates = ctx.figures["alliance.degreeLanguageExamCandidates"]
    pool = LearnerPool(ctx.docs[c.LEARNERS])
    bookings: list[Document] = []
    bookers: dict[int, list[Document]] = {}
    for year, host_count, total in (
        (2022, hosts_figure.previous, candidates.previous),
        (2023, hosts_figure.value, candidates.value),
    ):
        plan = [(host, season) for host in hosts[:host_count] for season in ("SPRING", "AUTUMN")]
        demand = [ctx.institution_weight[h["_id"]] * rng.uniform(0.6, 1.4) for h, _ in plan]
        bookers[year] = []
        for (host, season), booked in zip(plan, apportion(total, demand), strict=True):
            exam_date = _exam_day(year, 4 if season == "SPRING" else 10)
            session = ctx.add(
                c.EXAM_SESSIONS,
                {
                    "year": year,
                    "season": season,
                    "host_institution_id": host["_id"],
                    "alliance_id": organiser["_id"],
                    "exam_date": exam_date,
                    "capacity": booked + rng.randint(2, 12),
                    "booked": booked,
                },
            )
            made = _book(rng, pool, session, booked)
            # The seat holders live on the session, so that taking a seat is one atomic
            # update there (capacity and one-seat-per-learner checked together).
            session["holders"] = [b["learner_id"] for b in made if b["status"] != "CANCELLED"]
            bookings += made
            bookers[year] += [b["_learner"] for b in made if b["status"] != "CANCELLED"]
    bookings.sort(key=lambda b: (b["booked_at"], b["session_id"], b["learner_id"]))
    for booking in bookings:
        del booking["_learner"]
        ctx.add(c.EXAM_BOOKINGS, booking)
    return bookers


def _book(rng: random.Random, pool: LearnerPool, session: Document, booked: int) -> list[Document]:
    """``booked`` live bookings (mostly the host's own learners) plus a few cancelled ones."""
    cancelled = sum(rng.random() < _CANCELLED_SHARE for _ in range(booked)) + (rng.random() < 0.1)
    seen: set[ObjectId] = set()
    made = []
    for n in range(booked + cancelled):
        booked_at = dates.later(session["exam_date"], -rng.uniform(15, 60))
        host = session["host_institution_id"] if rng.random() < 0.7 else None
        learner = pool.pick(rng, booked_at, seen, host) or pool.pick(rng, booked_at, seen)
        if learner is None:
            raise ValueError("not enough learners for the exam bookings")
        seen.add(learner["_id"])
        status = "CANCELLED"  # the extra bookings beyond ``booked``
        if n < booked:
            status = "BOOKED" if rng.random() < _NO_SHOW_SHARE else "ATTENDED"
        made.append(
            {
                "session_id": session["_id"],
                "learner_id": learner["_id"],
                "year": session["year"],
                "status": status,
                "booked_at": booked_at,
                "_learner": learner,
            }
        )
    return made


# -- Degree-language tutoring purchases ---------------------------------------------


def _purchases(ctx: SeedContext, bookers: dict[int, list[Document]]) -> None:
    rng = ctx.rng("alliance.purchases")
    pool = LearnerPool(ctx.docs[c.LEARNERS])
    products = [((name, price), weight) for name, price, weight in DEGREE_COURSE_PRODUCTS]
    figure = ctx.figures["alliance.degreeLanguageCoursePurchases"]
    records = []
    for year, count in ((2022, figure.previous), (2023, figure.value)):
        for _ in range(count):
            purchased_at = dates.seasonal(rng, dates.year_start(year), dates.year_end(year), _PURCHASE_MONTHS)
            # Half the buyers are that year's exam candidates, preparing for their sitting.
            ready = [x for x in bookers[year] if x["registered_at"] <= purchased_at]
            learner = rng.choice(ready) if ready and rng.random() < 0.5 else None
            learner = learner or pool.pick(rng, purchased_at, set())
            if learner is None:
                raise ValueError("not enough learners for the degree-course purchases")
            product, price = choose(rng, products)[0]
            records.append(
                {
                    "learner_id": learner["_id"],
                    "product": product,
                    "price_yuan": price,
                    "purchased_at": purchased_at,
                }
            )
    records.sort(key=lambda r: (r["purchased_at"], r["learner_id"]))
    for record in records:
        ctx.add(c.DEGREE_COURSE_PURCHASES, record)
