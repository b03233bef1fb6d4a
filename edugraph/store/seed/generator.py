"""Generate the whole demo data set in memory, deterministically.

``generate(scale, seed_number)`` is a pure function: the same arguments give the same
documents, byte for byte, on any machine — ids, dates and every random choice included.
At the default scale the set is about 19,000 small documents, so it is built in memory
and handed to the writer collection by collection.
"""

from __future__ import annotations

from edugraph.store import collections as c
from edugraph.store.seed.activity import build_daily_activity
from edugraph.store.seed.alliance import build_alliances
from edugraph.store.seed.context import Document, SeedContext
from edugraph.store.seed.credit_bank import build_credit_bank
from edugraph.store.seed.figures import scaled_figures
from edugraph.store.seed.learning import build_learning
from edugraph.store.seed.park import build_park_catalogue
from edugraph.store.seed.tutoring import build_tutoring

SEED_VERSION = 6
"""Bump when generation changes: a database seeded by an older version is then reseeded."""

DEMO_COLLECTIONS: tuple[str, ...] = (
    # Insertion order: every document comes after the documents it refers to.
    c.INSTITUTIONS,
    c.TEACHERS,
    c.COURSES,
    c.COURSE_RESOURCES,
    c.LEARNERS,
    c.ASSIGNMENTS,
    c.SUBMISSIONS,
    c.PARK_DAILY_ACTIVITY,
    c.MAJORS,
    c.TUTORING_COURSES,
    c.TUTORING_ENROLMENTS,
    c.TUTORING_COURSE_SELECTIONS,
    c.CERTIFICATION_CENTRES,
    c.CREDIT_ACCOUNTS,
    c.LEARNING_OUTCOMES,
    c.CREDIT_CONVERSIONS,
    c.ALLIANCES,
    c.ALLIANCE_MEMBERSHIPS,
    c.ALLIANCE_COMMITTEES,
    c.EXAM_SESSIONS,
    c.EXAM_BOOKINGS,
    c.DEGREE_COURSE_PURCHASES,
)
"""Every collection the seed fills (and empties before reseeding)."""


def generate(scale: float, seed_number: int) -> dict[str, list[Document]]:
    """Every demo collection's documents, in insertion order, meeting ``scaled_figures``."""
    ctx = SeedContext(seed_number=seed_number, figures=scaled_figures(scale))
    build_park_catalogue(ctx)
    build_learning(ctx)
    build_daily_activity(ctx)
    build_tutoring(ctx)  # before the credit bank: conversions may target a major
    build_credit_bank(ctx)
    build_alliances(ctx)
    _add_pair_keys(ctx)
    _add_access_scopes(ctx)
    return {name: ctx.docs[name] for name in DEMO_COLLECTIONS}


def _add_pair_keys(ctx: SeedContext) -> None:
    """The unique pair keys the write paths rely on (see ``collections.pair_key``)."""
    for name, (first, second) in c.PAIRS.items():
        for doc in ctx.docs[name]:
            doc[c.PAIR_KEY] = c.pair_key(doc[first], doc[second])


def _add_access_scopes(ctx: SeedContext) -> None:
    """Copies of the fields access rules filter on, so a rule is one condition on the row:
    a booking's candidate province (partners see their own), a conversion's learner."""
    province = {i["_id"]: i["province"] for i in ctx.docs[c.INSTITUTIONS]}
    learner_province = {lr["_id"]: province[lr["institution_id"]] for lr in ctx.docs[c.LEARNERS]}
    for booking in ctx.docs[c.EXAM_BOOKINGS]:
        booking["province"] = learner_province[booking["learner_id"]]
    learner_of = {o["_id"]: o["learner_id"] for o in ctx.docs[c.LEARNING_OUTCOMES]}
    for conversion in ctx.docs[c.CREDIT_CONVERSIONS]:
        conversion["learner_id"] = learner_of[conversion["outcome_id"]]
