"""Operation labels for the chart's axes and legends (no matplotlib here: the tests read
them without the optional ``bench`` extra)."""

from __future__ import annotations


def short(operation: str) -> str:
    """Operation labels short enough for an axis."""
    return operation.replace("InstitutionsDirectory", "Directory").replace("(cached)", "").strip().replace(" (", "\n(")


def tick(operation: str) -> str:
    """``short``, with its arguments on a line of their own: six operations share one axis."""
    return short(operation).replace("(", "\n(").replace("\n\n", "\n")
