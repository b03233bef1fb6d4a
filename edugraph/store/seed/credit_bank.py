"""The credit bank: certification centres, accounts, learning outcomes and conversions.

An outcome follows the bank's pipeline — stored (存储), recognised (认定) by a
certification centre, converted (转换) into credits for a park course or a tutoring
major — and each step is dated after the one before and no later than the end of 2023.
Recognition goes to the centre closest to the learner: their own institution's, else
their city's, else any centre open at the time.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime

from bson import ObjectId

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import Document, SeedContext, by_id
from edugraph.store.seed.figures import CENTRES_BY_KIND
from edugraph.store.seed.institution_catalogue import INSTITUTIONS
from edugraph.store.seed.places import CITIES, COUNTIES
from edugraph.store.seed.pools import LearnerPool
from edugraph.store.seed.subject_catalogue import CERTIFICATE_KINDS, OUTCOMES

_SERVICE_SYSTEM_START = datetime(2018, 1, 1, tzinfo=UTC)  # the province's centre network
_BANK_OPENED = datetime(2019, 1, 1, tzinfo=UTC)  # accounts and outcomes from here on
_CENTRES_BEFORE_2022 = {  # invented split of the 2022 stock
    "UNIVERSITY": 62,
    "LOCAL": 13,
    "SECONDARY_VOCATIONAL_PILOT": 0,
    "SUB_CENTRE": 7,
}
_BEFORE_2022_SHARE = 0.6  # invented: accounts and outcomes of end-2022 stock from before 2022
_NAMED_IN_BRIEF = ("合肥工业大学", "安徽大学", "安徽医科大学", "黄山", "滁州", "芜湖")
_UNIVERSITY_SUB_CENTRES = 6  # the rest of the sub-centres are county-level
_TIER_ORDER = {"FLAGSHIP": 0, "MAJOR": 1, "REGULAR": 2, "SMALL": 3}


def build_credit_bank(ctx: SeedContext) -> None:
    """Centres, accounts, outcomes (with their recognition) and conversions."""
    centres = _centres(ctx)
    accounts = _accounts(ctx)
    _outcomes(ctx, accounts, centres)


# -- Certification centres ----------------------------------------------------------


def _centres(ctx: SeedContext) -> list[Document]:
    rng = ctx.rng("creditBank.centres")
    institutions = {doc["name"]: doc for doc in ctx.docs[c.INSTITUTIONS]}
    ranked = sorted(
        INSTITUTIONS,
        key=lambda e: (
            e.name not in _NAMED_IN_BRIEF,
            e.kind != "UNIVERSITY",
            _TIER_ORDER[e.tier],
            rng.random(),
        ),
    )
    colleges = [e for e in ranked if e.kind in ("UNIVERSITY", "VOCATIONAL_COLLEGE")]
    wanted = CENTRES_BY_KIND["UNIVERSITY"].value + CENTRES_BY_KIND["SECONDARY_VOCATIONAL_PILOT"].value
    if len(colleges) < wanted:
        raise ValueError("not enough colleges to host the certification centres")
    hosts = colleges[: CENTRES_BY_KIND["UNIVERSITY"].value]
    pilot_hosts = [e for e in colleges if e.kind == "VOCATIONAL_COLLEGE" and e not in hosts]
    # Local centres: the brief's three first, then the other cities, then 巢湖市.
    cities = sorted(CITIES, key=lambda city: (city not in _NAMED_IN_BRIEF, rng.random()))
    local = [(f"{city}市学习成果认证服务中心", city) for city in cities] + [("巢湖市学习成果认证服务中心", "合肥")]
    open_universities = [e for e in ranked if e.kind == "OPEN_UNIVERSITY" and e.tier != "FLAGSHIP"]
    counties = rng.sample(COUNTIES, len(COUNTIES))

    plans: dict[str, list[tuple[str, str, ObjectId | None]]] = {
        "UNIVERSITY": [(f"{e.name}学习成果认证服务中心", e.city, institutions[e.name]["_id"]) for e in hosts],
        "LOCAL": [(name, city, None) for name, city in local],
        "SECONDARY_VOCATIONAL_PILOT": [
            (f"{e.name}中职技工教育试点认证中心", e.city, institutions[e.name]["_id"]) for e in pilot_hosts
        ],
        "SUB_CENTRE": [
            (f"{e.name}学习成果认证服务分中心", e.city, institutions[e.name]["_id"])
            for e in open_universities[:_UNIVERSITY_SUB_CENTRES]
        ]
        + [(f"{county}学习成果认证服务分中心", city, None) for county, city in counties],
    }
    records = []
    for kind, figure in CENTRES_BY_KIND.items():
        plan = plans[kind]
        if len(plan) < figure.value:
            raise ValueError(f"not enough {kind} centre candidates")
        before = min(_CENTRES_BEFORE_2022[kind], figure.previous)
        for n, (name, city, host) in enumerate(plan[: figure.value]):
            year = None if n < before else 2022 if n < figure.previous else 2023
            start, end = dates.period_bounds(year)
            established_at = dates.growing(rng, max(start, _SERVICE_SYSTEM_START), end)
            records.append(
                {
                    "name": name,
                    "kind": kind,
                    "city": city,
                    "host_institution_id": host,
                    "established_at": established_at,
                }
            )
    records.sort(key=lambda r: (r["established_at"], r["name"]))
    return [ctx.add(c.CERTIFICATION_CENTRES, record) for record in records]


# -- Accounts -----------------------------------------------------------------------


def _periods(ctx: SeedContext, key: str) -> tuple[tuple[int | None, int], ...]:
    figure = ctx.figures[key]
    before = round(figure.previous * _BEFORE_2022_SHARE)
    return (
        (None, before),
        (2022, figure.previous - before),
        (2023, figure.value - figure.previous),
    )


def _accounts(ctx: SeedContext) -> list[Document]:
    rng = ctx.rng("creditBank.accounts")
    pool = LearnerPool(ctx.docs[c.LEARNERS])
    holders: set[ObjectId] = set()
    records = []
    for year, count in _periods(ctx, "creditBank.accounts"):
        start, end = dates.period_bounds(year)
        for _ in range(count):
            opened_at = dates.growing(rng, max(start, _BANK_OPENED), end)
            learner = pool.pick(rng, opened_at, holders)
            if learner is None:
                raise ValueError("not enough learners for the credit accounts")
            holders.add(learner["_id"])
            records.append({"learner_id": learner["_id"], "opened_at": opened_at, "status": "ACTIVE"})
    records.sort(key=lambda r: (r["opened_at"], r["learner_id"]))
    return [ctx.add(c.CREDIT_ACCOUNTS, record) for record in records]


# -- Outcomes and conversions -------------------------------------------------------


def _outcomes(ctx: SeedContext, accounts: list[Document], centres: list[Document]) -> None:
    rng = ctx.rng("creditBank.outcomes")
    learners = by_id(ctx.docs[c.LEARNERS])
    activity = {a["_id"]: rng.paretovariate(1.5) for a in accounts}  # a few keen depositors
    records = []
    for year, count in _periods(ctx, "creditBank.learningOutcomes"):
        start, end = dates.period_bounds(year)
        open_accounts = [a for a in accounts if a["opened_at"] <= end]
        if count and not open_accounts:
            raise ValueError("learning outcomes planned before any credit account was opened")
        weights = [activity[a["_id"]] for a in open_accounts]
        for account in rng.choices(open_accounts, weights=weights, k=count):
            title, kind, credits = rng.choice(OUTCOMES)
            deposited_at = dates.uniform(rng, max(account["opened_at"], start), end)
            records.append(
                {
                    "account_id": account["_id"],
                    "learner_id": account["learner_id"],
                    "title": title,
                    "kind": kind,
                    "status": "DEPOSITED",
                    "credits": credits,
                    "deposited_at": deposited_at,
                    "recognised_by": None,
                    "recognised_at": None,
                }
            )
    records.sort(key=lambda r: (r["deposited_at"], r["account_id"]))
    conversions = []
    for record in records:
        learner = learners[record["learner_id"]]
        converted_at = _recognise(rng, record, learner, centres)
        outcome = ctx.add(c.LEARNING_OUTCOMES, record)
        if converted_at is not None:
            conversions.append(_conversion(ctx, rng, outcome, learner, converted_at))
    conversions.sort(key=lambda r: (r["converted_at"], r["outcome_id"]))
    for conversion in conversions:
        ctx.add(c.CREDIT_CONVERSIONS, conversion)
    _mark_dormant_accounts(rng, accounts, records)


def _recognise(rng: random.Random, outcome: Document, learner: Document, centres: list[Document]) -> datetime | None:
    """Move the outcome along the pipeline as far as its dates and chance allow.

    Returns the conversion date when the outcome ends up converted.
    """
    recognised_at = dates.later(outcome["deposited_at"], rng.uniform(5, 90))
    roll = rng.random()
    if recognised_at > dates.END_OF_DATA or roll < 0.25:
        return None
    open_centres = [x for x in centres if x["established_at"] <= recognised_at]
    if not open_centres:
        return None
    own = [x for x in open_centres if x["host_institution_id"] == learner["institution_id"]]
    nearby = [x for x in open_centres if x["host_institution_id"] is None and x["city"] == learner["city"]]
    outcome["recognised_by"] = rng.choice(own or nearby or open_centres)["_id"]
    outcome["recognised_at"] = recognised_at
    outcome["status"] = "RECOGNISED"
    converted_at = dates.later(recognised_at, rng.uniform(3, 60))
    if roll < 0.65 or converted_at > dates.END_OF_DATA:
        return None
    outcome["status"] = "CONVERTED"
    return converted_at


def _conversion(
    ctx: SeedContext,
    rng: random.Random,
    outcome: Document,
    learner: Document,
    converted_at: datetime,
) -> Document:
    """The single conversion of a converted outcome: into a major's or a course's credits."""
    majors = [m for m in ctx.docs[c.MAJORS] if m["established_at"] <= converted_at]
    courses = [x for x in ctx.docs[c.COURSES] if x["launched_at"] <= converted_at]
    own_courses = [x for x in courses if x["institution_id"] == learner["institution_id"]]
    target_course, target_major = None, None
    if majors and (rng.random() < 0.5 or not courses):
        target_major, rule = rng.choice(majors)["_id"], "专业-课程"
    else:
        target_course = rng.choice(own_courses or courses)["_id"]
        rule = "证书-课程" if outcome["kind"] in CERTIFICATE_KINDS else "课程-课程"
    credits = outcome["credits"] if rng.random() < 0.7 else rng.randint(1, outcome["credits"])
    return {
        "outcome_id": outcome["_id"],
        "account_id": outcome["account_id"],
        "credits": credits,
        "target_course_id": target_course,
        "target_major_id": target_major,
        "rule": rule,
        "converted_at": converted_at,
    }


def _mark_dormant_accounts(rng: random.Random, accounts: list[Document], outcomes: list[Document]) -> None:
    """Some old accounts that never received an outcome have gone dormant."""
    used: defaultdict[ObjectId, int] = defaultdict(int)
    for outcome in outcomes:
        used[outcome["account_id"]] += 1
    for account in accounts:
        if not used[account["_id"]] and account["opened_at"].year < 2022 and rng.random() < 0.3:
            account["status"] = "DORMANT"
