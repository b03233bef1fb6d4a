"""The results as one PNG of four panels (matplotlib, Agg: no display needed).

1. service CPU per JSON object, per operation: each target of the run (graphql-js, which
   serves the directory only, leaves gaps);
2. p50 latency against concurrent clients: edugraph (solid) and the floor (dashed);
3. p50 latency against data size, one client: edugraph and the floor again;
4. database server CPU ÷ service CPU per request against data size: above 1, the
   embedded database, not the service, is the limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, NullLocator

from bench.labels import short, tick
from bench.report import TARGET_CPU_US_PER_OBJECT, TARGET_ORDER, Row, find, operations_in
from bench.targets import EDUGRAPH, FLOOR

COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
STYLES = {EDUGRAPH: "-", FLOOR: "--"}
TARGET_COLOURS = {
    "edugraph": "#1f77b4",
    "batching off": "#d62728",
    "floor": "#2ca02c",
    "in memory": "#9467bd",
    "stock in memory": "#8c564b",
    "graphql-js": "#e6a817",
}


def leading(value: float) -> int:
    """The first significant digit of a positive number."""
    return round(value / 10 ** math.floor(math.log10(value))) if value > 0 else 0


def plain(ax: Axes) -> None:
    """Log axes labelled 20, 50, 100 … rather than 2×10¹."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.10g}"))
            axis.set_minor_formatter(
                FuncFormatter(lambda value, _: f"{value:,.10g}" if leading(value) in (2, 5) else "")
            )


def cpu_per_object(ax: Axes, rows: list[Row], scale: float, concurrency: int) -> None:
    operations = operations_in(rows)
    targets = [t for t in TARGET_ORDER if find(rows, target=t) is not None]
    width = 0.8 / len(targets)
    for i, target in enumerate(targets):
        xs, values = [], []
        for x, operation in enumerate(operations):
            row = find(rows, operation=operation, scale=scale, concurrency=concurrency, target=target)
            # A target that does not serve an operation (graphql-js: the directory only) leaves a gap.
            if row is not None:
                xs.append(x + (i - (len(targets) - 1) / 2) * width)
                values.append(row["cpu_us_per_object"])
        bars = ax.bar(xs, values, width, label=target, color=TARGET_COLOURS.get(target, "#7f7f7f"))
        ax.bar_label(bars, labels=[f"{v:.0f}" if v >= 10 else f"{v:.1f}" for v in values], fontsize=7, padding=1)
    ax.axhline(TARGET_CPU_US_PER_OBJECT, color="grey", linewidth=1, linestyle=":")
    ax.annotate(f"target {TARGET_CPU_US_PER_OBJECT} µs", (-0.45, TARGET_CPU_US_PER_OBJECT), fontsize=7, va="bottom")
    ax.set_yscale("log")
    plain(ax)
    ax.set_xticks(range(len(operations)), [tick(o) for o in operations], fontsize=8)
    ax.set_ylabel("µs of service CPU per JSON object")
    ax.set_title(f"CPU per returned object (scale {scale:g}, {concurrency} client)")
    ax.legend(fontsize=8)


def latency_by_concurrency(ax: Axes, rows: list[Row], scale: float) -> None:
    for colour, operation in zip(COLOURS, operations_in(rows), strict=False):
        for target, style in STYLES.items():
            points = sorted(
                (row["concurrency"], row["p50_ms"])
                for row in rows
                if row["operation"] == operation and row["scale"] == scale and row["target"] == target
                if row["p50_ms"] is not None
            )
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, style, marker="o", color=colour, label=short(operation) if target == EDUGRAPH else None)
    levels = sorted({row["concurrency"] for row in rows if row["scale"] == scale})
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(levels, [str(level) for level in levels])
    ax.xaxis.set_minor_locator(NullLocator())
    plain(ax)
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("p50 latency, ms")
    ax.set_title(f"p50 against concurrency (scale {scale:g}): edugraph —, floor - -")
    ax.legend(fontsize=7)


def by_scale(
    ax: Axes,
    rows: list[Row],
    scales: list[Row],
    concurrency: int,
    value: Callable[[Row], float | None],
    targets: tuple[str, ...] = (EDUGRAPH,),
) -> None:
    """One line per operation and target (edugraph solid, floor dashed): ``value`` of each
    scale's cell, against the number of documents."""
    documents = sorted((info["documents"], info["scale"]) for info in scales)
    for colour, operation in zip(COLOURS, operations_in(rows), strict=False):
        for target in targets:
            points = []
            for count, scale in documents:
                row = find(rows, operation=operation, scale=scale, concurrency=concurrency, target=target)
                y = value(row) if row is not None else None
                if y is not None:
                    points.append((count, y))
            if points:
                xs, ys = zip(*points, strict=True)
                label = short(operation) if target == EDUGRAPH else None
                ax.plot(xs, ys, STYLES[target], marker="o", color=colour, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain(ax)
    ax.set_xlabel("documents in the database")
    ax.legend(fontsize=7)


def p50(row: Row) -> float | None:
    value = row["p50_ms"]
    return None if value is None else float(value)


def db_share(row: Row) -> float | None:
    """Database CPU over service CPU; none for an operation that asks the database nothing."""
    if not row["round_trips"]:
        return None
    return float(row["db_cpu_us_per_request"]) / max(float(row["cpu_us_per_request"]), 1.0)


def render(document: dict[str, Any], path: Path) -> None:
    rows: list[Row] = document["results"]
    scales: list[Row] = document["scales"]
    first = scales[0]["scale"]
    base = min(row["concurrency"] for row in rows if row["scale"] == first)
    figure, axes = plt.subplots(2, 2, figsize=(14, 10), layout="constrained")
    cpu_per_object(axes[0][0], rows, first, base)
    latency_by_concurrency(axes[0][1], rows, first)
    by_scale(axes[1][0], rows, scales, base, p50, targets=(EDUGRAPH, FLOOR))
    axes[1][0].set_ylabel("p50 latency, ms")
    axes[1][0].set_title(f"p50 against data size ({base} client): edugraph —, floor - -")
    by_scale(axes[1][1], rows, scales, base, db_share)
    axes[1][1].axhline(1.0, color="grey", linewidth=1)
    axes[1][1].set_ylabel("database CPU ÷ service CPU, per request")
    axes[1][1].set_title("Above 1 the embedded database is the limit (edugraph)")
    meta = document.get("meta", {})
    figure.suptitle(
        f"edugraph benchmark, {meta.get('date', '')} — {meta.get('machine', '')}, shared: compare ratios",
        fontsize=11,
    )
    figure.savefig(path, dpi=80)
    plt.close(figure)
