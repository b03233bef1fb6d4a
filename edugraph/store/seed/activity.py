"""The park's daily counters: visits, video study hours and assignment submissions.

These carry the brief's large volumes (640 million visits, 79 million study hours, 38
million submissions), so each year's counters sum exactly to the scaled figure. The
spread follows the academic year: weekdays above weekends, two semester peaks, troughs at
the Spring Festival, in summer and over the National Day week, submissions crowding
towards the end of each term, and a steady rise across the year as the park grows.
"""

from __future__ import annotations

import random
from datetime import datetime

from edugraph.store import collections as c
from edugraph.store.seed import dates
from edugraph.store.seed.context import SeedContext
from edugraph.store.seed.sampling import apportion

_WEEKDAY = (1.0, 1.03, 1.0, 0.97, 0.9, 0.7, 0.76)  # Monday first
_SPRING_FESTIVAL = {2022: (1, 31), 2023: (1, 22)}  # first day of the holiday week
_TERM_END_MONTHS = {6: 1.35, 12: 1.4, 1: 1.15}  # deadlines and exams pile up submissions


def build_daily_activity(ctx: SeedContext) -> None:
    """One counter document per day of 2022 and 2023."""
    rng = ctx.rng("park.activity")
    for year in dates.SEED_YEARS:
        days = dates.days_of(year)
        base = [_day_weight(rng, day) for day in days]
        # Each counter has its own noise on top of the shared rhythm.
        visits = apportion(_figure(ctx, "park.visits", year), _jitter(rng, base, 0.05))
        hours = apportion(_figure(ctx, "park.videoStudyHours", year), _jitter(rng, base, 0.08))
        submission_weights = [w * _TERM_END_MONTHS.get(day.month, 1.0) for w, day in zip(base, days, strict=True)]
        submissions = apportion(_figure(ctx, "park.submissions", year), _jitter(rng, submission_weights, 0.1))
        for day, v, h, s in zip(days, visits, hours, submissions, strict=True):
            ctx.add(
                c.PARK_DAILY_ACTIVITY,
                {"date": day, "visits": v, "video_study_hours": h, "submissions": s},
            )


def _figure(ctx: SeedContext, key: str, year: int) -> int:
    figure = ctx.figures[key]
    return figure.value if year == 2023 else figure.previous


def _day_weight(rng: random.Random, day: datetime) -> float:
    weight = _WEEKDAY[day.weekday()] * dates.TEACHING_MONTHS[day.month]
    month, first = _SPRING_FESTIVAL[day.year]
    festival = datetime(day.year, month, first, tzinfo=day.tzinfo)
    if 0 <= (day - festival).days < 7:
        weight *= 0.45
    if day.month == 10 and day.day <= 7:  # National Day golden week
        weight *= 0.6
    growth = 1 + 0.15 * day.timetuple().tm_yday / 365
    return weight * growth * rng.uniform(0.93, 1.07)


def _jitter(rng: random.Random, weights: list[float], spread: float) -> list[float]:
    return [w * rng.uniform(1 - spread, 1 + spread) for w in weights]
