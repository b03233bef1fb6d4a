"""GraphQL types of the dashboard's yearly figures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.context import Info
from edugraph.loaders.base import Document
from edugraph.schema.credit_bank import CentreKind
from edugraph.store import statistics as compute
from edugraph.store.connection import for_statistics


@strawberry.type(description="One headline figure of a year, with last year's value and the growth between them.")
class Figure:
    value: int = strawberry.field(description="The figure for the year asked.")
    previous_value: int | None = strawberry.field(description="The same figure a year earlier; null if unknown.")
    growth: float | None = strawberry.field(
        description="value / previousValue − 1, e.g. 0.2379 for +23.79%; null when previousValue is null or 0."
    )

    @classmethod
    def of(cls, pair: compute.YearPair) -> Figure:
        growth = pair.value / pair.previous - 1 if pair.previous else None
        return cls(value=pair.value, previous_value=pair.previous, growth=growth)


def _figures[S](cls: type[S], pairs: dict[str, compute.YearPair], **extra: object) -> S:
    return cls(**{name: Figure.of(pair) for name, pair in pairs.items()}, **extra)


async def _cached[R](
    info: Info, year: int, compute_figures: Callable[[AsyncDatabase[Document], int], Awaitable[R]]
) -> R:
    """One domain's figures for a year, from this process's short-lived statistics cache."""
    context = info.context
    return await context.statistics_cache.get_or_compute(
        ("statistics", compute_figures.__name__, year),
        # The statistics' database (read preference applied) is made only on a miss.
        lambda: compute_figures(for_statistics(context.db, context.settings.statistics_read_preference), year),
    )


@strawberry.type(description="Figures of the online learning park (网络园区) for a year.")
class ParkStatistics:
    institutions: Figure = strawberry.field(description="Institutions in the park at the end of the year.")
    courses: Figure = strawberry.field(description="Courses online at the end of the year.")
    new_courses: Figure = strawberry.field(description="Courses launched during the year.")
    resources: Figure = strawberry.field(description="Teaching resources at the end of the year.")
    video_resources: Figure = strawberry.field(description="Video resources at the end of the year.")
    learners: Figure = strawberry.field(description="Registered learners at the end of the year.")
    assignments: Figure = strawberry.field(description="Assignments set during the year.")
    submissions: Figure = strawberry.field(
        description="Assignment submissions during the year, from the platform's daily activity counters."
    )
    video_study_hours: Figure = strawberry.field(description="Hours of video study during the year.")
    visits: Figure = strawberry.field(description="Visits to the platform during the year.")


@strawberry.type(description="How many certification centres of one kind exist at the end of the year.")
class CentreKindCount:
    kind: CentreKind = strawberry.field(description="The kind of centre.")
    count: int = strawberry.field(description="How many there are.")


@strawberry.type(description="Figures of the credit bank (学分银行) for a year.")
class CreditBankStatistics:
    accounts: Figure = strawberry.field(description="Accounts open at the end of the year.")
    learning_outcomes: Figure = strawberry.field(description="Learning outcomes deposited by the end of the year.")
    certification_centres: Figure = strawberry.field(description="Certification centres at the end of the year.")
    certification_centres_by_kind: list[CentreKindCount] = strawberry.field(
        description="The year's certification centres split by kind; every kind is listed, even at 0."
    )


@strawberry.type(description="Figures of the university alliances (联盟) for a year.")
class AllianceStatistics:
    public_english_members: Figure = strawberry.field(description="Members of the public English alliance.")
    cooperation_members: Figure = strawberry.field(description="Members of the cooperation alliance.")
    degree_language_exam_universities: Figure = strawberry.field(
        description="Universities holding degree foreign-language exam sessions in the year."
    )
    degree_language_exam_candidates: Figure = strawberry.field(
        description="Candidates booked into the year's exam sessions (cancelled bookings excluded)."
    )
    degree_language_course_purchases: Figure = strawberry.field(
        description="Degree foreign-language tutoring courses bought in the year (person-times)."
    )


@strawberry.type(description="Figures of self-study-exam tutoring (自考助学) for a year.")
class TutoringStatistics:
    chief_universities: Figure = strawberry.field(description="Chief examination universities (主考院校).")
    majors: Figure = strawberry.field(description="Majors with tutoring at the end of the year.")
    courses: Figure = strawberry.field(description="Tutoring courses at the end of the year.")
    course_selections: Figure = strawberry.field(description="Course selections (选学) during the year.")
    enrolments: Figure = strawberry.field(description="Enrolments (招生) during the year.")


@strawberry.type(
    description=(
        "The dashboard's headline figures for one calendar year, per domain. Each domain is "
        "computed only when asked for."
    )
)
class YearlyStatistics:
    year: int = strawberry.field(description="The year the figures describe.")

    @strawberry.field(description="Figures of the online learning park.")
    async def park(self, info: Info) -> ParkStatistics:
        return _figures(ParkStatistics, await _cached(info, self.year, compute.park_figures))

    @strawberry.field(description="Figures of the credit bank.")
    async def credit_bank(self, info: Info) -> CreditBankStatistics:
        pairs, by_kind = await _cached(info, self.year, compute.credit_bank_figures)
        counts = [CentreKindCount(kind=kind, count=by_kind.get(kind.name, 0)) for kind in CentreKind]
        return _figures(CreditBankStatistics, pairs, certification_centres_by_kind=counts)

    @strawberry.field(description="Figures of the alliances.")
    async def alliance(self, info: Info) -> AllianceStatistics:
        return _figures(AllianceStatistics, await _cached(info, self.year, compute.alliance_figures))

    @strawberry.field(description="Figures of self-study-exam tutoring.")
    async def tutoring(self, info: Info) -> TutoringStatistics:
        return _figures(TutoringStatistics, await _cached(info, self.year, compute.tutoring_figures))
