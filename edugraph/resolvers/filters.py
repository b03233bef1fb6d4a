"""Turning filter arguments into MongoDB filters without letting input become operators.

A name search is a regular expression built from ``re.escape`` of the client's text,
so ``.*`` or ``{"$gt": ""}`` are searched for literally; every other filter value is an
enum, an int or a parsed id, which GraphQL has already typed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from edugraph.errors import BadUserInput

MAX_SEARCH_LENGTH = 100


def contains(text: str | None, *, argument: str) -> dict[str, Any] | None:
    """A case-insensitive substring match on a literal string; no condition for no text."""
    if text is None:
        return None
    if len(text) > MAX_SEARCH_LENGTH:
        raise BadUserInput(f"Argument '{argument}' is longer than {MAX_SEARCH_LENGTH} characters.", argument=argument)
    return {"$regex": re.escape(text), "$options": "i"}


def enum_value(value: Enum | None) -> Any:
    return None if value is None else value.value


def compact(**conditions: Any) -> dict[str, Any]:
    """A filter document of the conditions that were given."""
    return {field: condition for field, condition in conditions.items() if condition is not None}


MIN_YEAR, MAX_YEAR = 1900, 2100


def check_year(year: int, *, argument: str) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadUserInput(
            f"Argument '{argument}' must be a year between {MIN_YEAR} and {MAX_YEAR}; got {year}.", argument=argument
        )
    return year


def year_range(year: int | None, *, argument: str) -> dict[str, datetime] | None:
    """Dates within the calendar year (UTC), or no condition when no year is given."""
    if year is None:
        return None
    check_year(year, argument=argument)
    return {"$gte": datetime(year, 1, 1, tzinfo=UTC), "$lt": datetime(year + 1, 1, 1, tzinfo=UTC)}
