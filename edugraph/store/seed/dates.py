"""Fixed calendar bounds and random instants for the demo data.

Nothing here reads the clock: the demo describes the brief's world (2015 to the end of
2023), so a seed made today and one made next year are identical. All instants are UTC
and whole seconds, because BSON keeps milliseconds and a round trip must not change them.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(2015, 1, 1, tzinfo=UTC)
"""Stock that pre-dates 2022 is spread from here to the end of 2021."""

SEED_YEARS = (2022, 2023)
"""The two years the figures describe; every flow document is dated in one of them."""

END_OF_DATA = datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC)


def year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def year_end(year: int) -> datetime:
    """The last whole second of ``year``."""
    return datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC)


def period_bounds(year: int | None) -> tuple[datetime, datetime]:
    """A seed period: ``None`` is everything before 2022, else one calendar year."""
    if year is None:
        return EARLIEST, year_end(2021)
    return year_start(year), year_end(year)


def uniform(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A whole-second instant in [start, end]; ``start`` if the range is empty."""
    span = int((end - start).total_seconds())
    if span <= 0:
        return start
    return start + timedelta(seconds=rng.randint(0, span))


def growing(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """An instant in [start, end], denser towards ``end``: the platforms kept growing."""
    span = int((end - start).total_seconds())
    if span <= 0:
        return start
    return start + timedelta(seconds=int(span * math.sqrt(rng.random())))


def later(moment: datetime, days: float) -> datetime:
    return moment + timedelta(seconds=int(days * 86_400))


def days_of(year: int) -> list[datetime]:
    """Midnight UTC of every day of ``year``."""
    first = year_start(year)
    count = (year_start(year + 1) - first).days
    return [first + timedelta(days=i) for i in range(count)]


TEACHING_MONTHS: dict[int, float] = {
    # Relative activity per month: two semesters, the Spring Festival and summer troughs.
    1: 0.6,
    2: 0.45,
    3: 1.2,
    4: 1.1,
    5: 1.1,
    6: 1.0,
    7: 0.4,
    8: 0.45,
    9: 1.3,
    10: 1.0,
    11: 1.1,
    12: 0.9,
}


def seasonal(
    rng: random.Random,
    start: datetime,
    end: datetime,
    months: dict[int, float] = TEACHING_MONTHS,
) -> datetime:
    """An instant in [start, end] following the monthly rhythm of the academic year."""
    top = max(months.values())
    moment = uniform(rng, start, end)
    for _ in range(50):  # rejection sampling; 50 misses in a row is vanishingly rare
        if rng.random() * top <= months[moment.month]:
            break
        moment = uniform(rng, start, end)
    return moment
