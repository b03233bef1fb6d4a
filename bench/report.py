"""The results as text: a line per measured cell while running, summary tables at the end.

The summary works on the results document (the JSON the harness writes), so a saved run
can be summarised again without measuring (``python -m bench --replot FILE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bench.measure import Result
from bench.targets import BATCHING_OFF, EDUGRAPH, FLOOR, GRAPHQL_JS, IN_MEMORY, STOCK_IN_MEMORY, TARGETS

Row = dict[str, Any]
OVER_MONGODB = (EDUGRAPH, BATCHING_OFF, FLOOR)
TARGET_ORDER = TARGETS
TARGET_CPU_US_PER_OBJECT = 4.4
"""The issue's target: graphql-js's CPU per returned object, over data in memory."""


def print_row(r: Result) -> None:
    p50 = f"{r.p50_ms:8.1f}" if r.p50_ms is not None else "       -"
    p99 = f"{r.p99_ms:8.1f}" if r.p99_ms is not None else "       -"
    print(
        f"{r.target:12} {r.operation:32} c={r.concurrency:<3} {r.requests_per_s:7.1f} req/s  p50 {p50}  p99 {p99} ms"
        f"  cpu {r.cpu_us_per_request:8.0f} µs/req {r.cpu_us_per_object:7.1f} µs/obj  db {r.db_cpu_us_per_request:8.0f}"
        f" µs/req  objs {r.objects_per_response:5}  trips {r.round_trips}  {r.response_bytes:7} B"
        f"  rss {r.peak_rss_mb:5.0f} MB" + (f"  ERRORS {r.errors}" if r.errors else ""),
        flush=True,
    )


def find(rows: Iterable[Row], **where: Any) -> Row | None:
    """The first result row matching every ``field=value`` given."""
    return next((row for row in rows if all(row[k] == v for k, v in where.items())), None)


def operations_in(rows: Iterable[Row]) -> list[str]:
    return list(dict.fromkeys(row["operation"] for row in rows))


def fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.1f}×"


def limit(row: Row) -> str:
    """Which process spends more CPU on a request: the database server or the service."""
    return "database" if row["db_cpu_us_per_request"] > row["cpu_us_per_request"] else "service"


def _table(header: list[str], lines: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


def side_by_side(rows: list[Row], scale: float, concurrency: int) -> str:
    """Per operation: the service against batching off and the floor."""
    lines = []
    for operation in operations_in(rows):
        cells = [find(rows, operation=operation, scale=scale, concurrency=concurrency, target=t) for t in OVER_MONGODB]

        def each(field: str, digits: int = 0, cells: list[Row | None] = cells) -> str:
            return " / ".join(fmt(c[field] if c else None, digits) for c in cells)

        edugraph, _, floor = cells
        lines.append(
            [
                operation,
                fmt(edugraph["objects_per_response"] if edugraph else None),
                each("round_trips"),
                each("p50_ms", 1),
                each("cpu_us_per_object", 1),
                ratio(
                    edugraph["cpu_us_per_object"] if edugraph else None,
                    floor["cpu_us_per_object"] if floor else None,
                ),
            ]
        )
    header = [
        "operation",
        "objects",
        "round trips",
        "p50 ms",
        "service CPU µs/object",
        "edugraph ÷ floor CPU",
    ]
    return _table(header, lines)


def in_memory_table(rows: list[Row], scale: float, concurrency: int) -> str:
    """The GraphQL layer on its own: the targets whose reads are answered from memory."""
    targets = [t for t in TARGET_ORDER if t not in OVER_MONGODB and find(rows, target=t) is not None]
    lines = []
    for operation in operations_in(rows):
        cells = [find(rows, operation=operation, scale=scale, concurrency=concurrency, target=t) for t in targets]
        if not any(cells):
            continue
        ours = find(rows, operation=operation, scale=scale, concurrency=concurrency, target=IN_MEMORY)
        stock = find(rows, operation=operation, scale=scale, concurrency=concurrency, target=STOCK_IN_MEMORY)
        lines.append(
            [
                operation,
                fmt(next((c["objects_per_response"] for c in cells if c), None)),
                " / ".join(fmt(c["cpu_us_per_object"] if c else None, 1) for c in cells),
                " / ".join(fmt(c["cpu_us_per_request"] if c else None) for c in cells),
                ratio(stock["cpu_us_per_object"] if stock else None, ours["cpu_us_per_object"] if ours else None),
            ]
        )
    header = [
        "operation",
        "objects",
        f"CPU µs/object ({' / '.join(targets)})",
        "CPU µs/request",
        "stock ÷ compiled",
    ]
    return _table(header, lines)


def graphql_js_part(rows: list[Row], scale: float, concurrency: int) -> list[str]:
    """The heading and table putting each target's CPU per object against graphql-js's, on
    the operations graphql-js served in the run; nothing when it did not run."""
    if find(rows, target=GRAPHQL_JS) is None:
        return []
    others = [t for t in TARGET_ORDER if t != GRAPHQL_JS and find(rows, target=t) is not None]
    lines = []
    for operation in operations_in(rows):
        reference = find(rows, operation=operation, scale=scale, concurrency=concurrency, target=GRAPHQL_JS)
        if reference is None:
            continue
        cells = [find(rows, operation=operation, scale=scale, concurrency=concurrency, target=t) for t in others]
        lines.append(
            [
                operation,
                fmt(reference["objects_per_response"]),
                fmt(reference["cpu_us_per_object"], 1),
                *(ratio(c["cpu_us_per_object"] if c else None, reference["cpu_us_per_object"]) for c in cells),
            ]
        )
    header = ["operation", "objects", f"{GRAPHQL_JS} CPU µs/object", *(f"{t} ÷ {GRAPHQL_JS}" for t in others)]
    heading = f"## Against {GRAPHQL_JS} in the same run: scale {scale:g}, {concurrency} client (CPU per object)"
    return [heading, _table(header, lines)]


def concurrency_table(rows: list[Row], scale: float) -> str:
    lines = []
    for operation in operations_in(rows):
        for row in rows:
            if row["operation"] == operation and row["scale"] == scale and row["target"] == EDUGRAPH:
                lines.append(
                    [
                        operation,
                        str(row["concurrency"]),
                        fmt(row["requests_per_s"], 1),
                        fmt(row["p50_ms"], 1),
                        fmt(row["p99_ms"], 1),
                        fmt(row["cpu_us_per_request"]),
                        fmt(row["db_cpu_us_per_request"]),
                    ]
                )
    header = ["operation", "clients", "req/s", "p50 ms", "p99 ms", "service CPU µs/req", "DB CPU µs/req"]
    return _table(header, lines)


def scale_table(rows: list[Row], scales: list[Row], concurrency: int) -> str:
    """The service's latency as the data grows, and which process is the limit."""
    lines = []
    for operation in operations_in(rows):
        for info in sorted(scales, key=lambda info: float(info["scale"])):
            row = find(rows, operation=operation, scale=info["scale"], concurrency=concurrency, target=EDUGRAPH)
            if row is None:
                continue
            lines.append(
                [
                    operation,
                    f"{info['scale']:g} ({info['documents']:,} docs)",
                    fmt(row["p50_ms"], 1),
                    fmt(row["cpu_us_per_request"]),
                    fmt(row["db_cpu_us_per_request"]),
                    limit(row),
                ]
            )
    header = ["operation", "scale", "p50 ms", "service CPU µs/req", "DB CPU µs/req", "busier process"]
    return _table(header, lines)


def summary(document: Row) -> str:
    rows: list[Row] = document["results"]
    scales: list[Row] = document["scales"]
    first = scales[0]["scale"]
    base = min(row["concurrency"] for row in rows if row["scale"] == first)
    parts = [
        f"## Side by side: scale {first:g}, {base} client (edugraph / batching off / floor)",
        side_by_side(rows, first, base),
        f"## The GraphQL layer over data in memory: scale {first:g}, {base} client"
        f" (target ≤ {TARGET_CPU_US_PER_OBJECT} µs/object on the directory)",
        in_memory_table(rows, first, base),
        *graphql_js_part(rows, first, base),
        f"## Concurrency: edugraph, scale {first:g}",
        concurrency_table(rows, first),
        f"## Scale: edugraph, {base} client",
        scale_table(rows, scales, base),
    ]
    return "\n\n".join(parts)
