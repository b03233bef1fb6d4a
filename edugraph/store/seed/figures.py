"""The January 2024 brief's figures as data, and the exact counts the seed produces.

The demo data is a scaled model of the brief: small counts (140 institutions, 111
certification centres, 45 alliance members …) are kept exactly, large counts (37,000
courses, 1.166 million learners …) are multiplied by the seed's scale. Both years matter
because the dashboard shows each figure next to its previous year, so every statistic
carries its 2023 value from the brief and a rule for 2022: the growth rate the brief
gives, or — where the brief gives none — an invented but plausible 2022 value, marked
``invented`` below. ``scaled_figures`` is the single source of truth the generator
builds to and the tests check against.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SCALE = 0.002
"""About 8,500 documents, seeded in about 10 s. The embedded server scans at roughly 90 µs
per document, so this is the scale at which every contract query answers in well under
a second there. A real MongoDB is not the limit: pass a larger scale there."""

DEFAULT_SEED_NUMBER = 2024


@dataclass(frozen=True, slots=True)
class Figure:
    """A statistic's value at the end of (or during) 2023 and in 2022."""

    value: int
    previous: int


@dataclass(frozen=True, slots=True)
class _Statistic:
    """One figure of the brief and how its 2022 value is obtained."""

    value: int
    growth: float | None = None
    """Year-on-year growth stated in the brief: 2022 = round(2023 / (1 + growth))."""
    previous: int | None = None
    """An invented 2022 value, used where the brief states no growth."""
    scaled: bool = True
    """False for the small counts the brief names exactly; they never scale."""
    stock_less_flow: str | None = None
    """2022 = this 2023 stock minus the 2023 flow of the named figure (courses)."""


_STATISTICS: dict[str, _Statistic] = {
    # -- Park: stocks at the end of the year ------------------------------------------
    "park.institutions": _Statistic(140, previous=128, scaled=False),  # invented 2022
    # The 2022 stock is the 2023 stock without the courses that are new in 2023.
    "park.courses": _Statistic(37_000, stock_less_flow="park.newCourses"),
    "park.resources": _Statistic(608_000, growth=0.2379),
    # Invented 2022 value: keeps the video share of 2022 resources at ~86% as in 2023.
    "park.videoResources": _Statistic(523_000, previous=423_000),
    "park.learners": _Statistic(1_166_000, previous=1_012_000),  # invented 2022
    # -- Park: flows within the year ---------------------------------------------------
    "park.newCourses": _Statistic(328, previous=300),  # invented 2022
    "park.assignments": _Statistic(107_000, previous=93_000),  # invented 2022
    "park.submissions": _Statistic(37_989_000, previous=31_650_000),  # invented 2022
    "park.videoStudyHours": _Statistic(79_180_000, previous=64_800_000),  # invented 2022
    "park.visits": _Statistic(640_000_000, growth=0.28),
    # -- Credit bank -------------------------------------------------------------------
    "creditBank.accounts": _Statistic(12_800, growth=0.2492),
    "creditBank.learningOutcomes": _Statistic(10_130, growth=0.3524),
    # The sum of CENTRES_BY_KIND below; 2022 invented per kind.
    "creditBank.certificationCentres": _Statistic(111, previous=97, scaled=False),
    # -- Alliance ----------------------------------------------------------------------
    "alliance.publicEnglishMembers": _Statistic(45, previous=39, scaled=False),  # "+6"
    "alliance.cooperationMembers": _Statistic(64, previous=59, scaled=False),  # "5 new"
    "alliance.degreeLanguageExamUniversities": _Statistic(40, previous=36, scaled=False),  # inv.
    "alliance.degreeLanguageExamCandidates": _Statistic(64_000, growth=0.28),
    "alliance.degreeLanguageCoursePurchases": _Statistic(25_697, growth=0.066),
    # -- Tutoring ----------------------------------------------------------------------
    "tutoring.chiefUniversities": _Statistic(4, previous=4, scaled=False),  # invented 2022
    "tutoring.majors": _Statistic(12, previous=10, scaled=False),  # invented 2022
    "tutoring.courses": _Statistic(116, previous=98, scaled=False),  # invented 2022
    "tutoring.courseSelections": _Statistic(7_000, previous=4_200, scaled=True),  # inv. 2022
    # The brief's "累计招生超过 1000 人" is taken as the 2023 intake; 2022 invented.
    "tutoring.enrolments": _Statistic(1_000, previous=700),
}

CENTRES_BY_KIND: dict[str, Figure] = {
    "UNIVERSITY": Figure(77, 70),
    "LOCAL": Figure(17, 15),
    "SECONDARY_VOCATIONAL_PILOT": Figure(4, 2),
    "SUB_CENTRE": Figure(13, 10),
}
"""Certification centres per kind, 2023 from the brief (77+17+4+13 = 111); 2022 invented."""

FIGURE_KEYS: tuple[str, ...] = tuple(_STATISTICS)


def _scale(value: int, scale: float) -> int:
    # A figure that exists must show up in the demo, however small the scale.
    return max(1, round(value * scale))


def _scaled_value(statistic: _Statistic, scale: float) -> int:
    return _scale(statistic.value, scale) if statistic.scaled else statistic.value


def scaled_figures(scale: float) -> dict[str, Figure]:
    """The exact 2023 and 2022 values the seed produces at ``scale``, keyed as the brief."""
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    values = {key: _scaled_value(stat, scale) for key, stat in _STATISTICS.items()}
    figures: dict[str, Figure] = {}
    for key, stat in _STATISTICS.items():
        value = values[key]
        if stat.stock_less_flow is not None:
            previous = value - values[stat.stock_less_flow]
        elif stat.growth is not None:
            # Growth is applied to the scaled 2023 count so the demo shows the brief's rate.
            previous = max(1, round(value / (1 + stat.growth)))
        elif stat.previous is not None:
            previous = _scale(stat.previous, scale) if stat.scaled else stat.previous
        else:  # pragma: no cover - every statistic above has a rule
            raise AssertionError(key)
        figures[key] = Figure(value, previous)
    return figures
