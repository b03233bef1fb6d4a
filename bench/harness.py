"""The benchmark harness: the service, batching off and the floor, over seeded data.

    python -m bench [--scales 0.002,0.001,0.01] [--seconds T] [--rounds R] [--concurrency 1,4,16]
                    [--scale-concurrency 1] [--out bench/results/bench.json]

For each scale it starts the embedded database, seeded afresh (``bench.database``),
then the targets (``bench.targets``) as processes of their own (graphql-js, which
answers the directory only, from a snapshot of the database),
and for each contract query and concurrency level drives each target for T seconds
from an async HTTP client, in R rounds of turns (T / R seconds each). Per cell it
records requests/s, p50/p95/p99, the target's and the database server's CPU per
request, the target's CPU per returned JSON object, MongoDB round trips, response
bytes and peak RSS. The full concurrency sweep
runs at the first scale; the others run ``--scale-concurrency`` only (latency against
data size). Results go to a JSON file and a PNG chart next to it.

Figures from one run are comparable with each other; absolute numbers on a shared
machine are not: compare ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil
from pydantic import SecretStr

from bench.database import DATABASE, Database, seeded_database
from bench.measure import Result, Turn, count_objects, cpu_seconds, drive, peak_rss_mb, per, percentile
from bench.operations import Operation, operations, sample_ids
from bench.report import print_row, summary
from bench.targets import (
    BENCH_SECRET,
    GRAPHQL_JS,
    TARGETS,
    Target,
    count_round_trips,
    graphql_js_missing,
    request_for,
    running,
    serves,
)
from edugraph.auth import Role, development_token
from edugraph.config import Settings
from edugraph.store.connection import open_client
from edugraph.store.seed import DEFAULT_SCALE

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "bench.json"


def listed[T](convert: Callable[[str], T], check: Callable[[T], bool], what: str) -> Callable[[str], list[T]]:
    """An argparse type: a comma-separated list, each item converted and checked."""

    def parse(text: str) -> list[T]:
        try:
            items = [convert(part.strip()) for part in text.split(",") if part.strip()]
        except ValueError:
            items = []
        if not items or not all(check(item) for item in items):
            raise argparse.ArgumentTypeError(f"expected a comma-separated list of {what}; got {text!r}")
        return items

    return parse


scales = listed(float, lambda s: 0 < s <= 1, "scales in (0, 1]")
levels = listed(int, lambda n: n >= 1, "concurrency levels (1 or more)")
targets = listed(str, lambda name: name in TARGETS, f"targets ({', '.join(TARGETS)})")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="edugraph's benchmark: the service, batching off and the floor")
    parser.add_argument(
        "--scales", "--scale", type=scales, default=[DEFAULT_SCALE], help="comma-separated demo data scales"
    )
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per target, operation and concurrency")
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns each target takes at a cell, each a share of --seconds"
    )
    parser.add_argument("--concurrency", type=levels, default=[1, 4, 16], help="concurrency levels, first scale")
    parser.add_argument("--scale-concurrency", type=levels, default=[1], help="concurrency levels, other scales")
    parser.add_argument(
        "--targets",
        type=targets,
        default=None,
        help=f"any of {', '.join(TARGETS)}; by default all (graphql-js when node and its package are installed)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON; the chart goes next to it")
    parser.add_argument("--no-chart", action="store_true", help="write no PNG (matplotlib not needed)")
    parser.add_argument("--replot", type=Path, default=None, help="only summarise and chart this saved results JSON")
    args = parser.parse_args(argv)
    if args.seconds <= 0:
        parser.error("--seconds must be more than 0")
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    missing = graphql_js_missing()
    if args.targets is None:
        args.targets = [name for name in TARGETS if name != GRAPHQL_JS or missing is None]
        if missing is not None and args.replot is None:
            print(f"{GRAPHQL_JS} target skipped: {missing}", flush=True)
    elif GRAPHQL_JS in args.targets and missing is not None:
        parser.error(f"the {GRAPHQL_JS} target cannot start: {missing}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.replot is not None:
        report(json.loads(args.replot.read_text(encoding="utf-8")), args.replot, chart=not args.no_chart)
        return 0
    return asyncio.run(run(args))


def report(document: dict[str, Any], out: Path, *, chart: bool) -> None:
    """Print the summary tables and draw the chart next to ``out``."""
    print(summary(document))
    if chart:
        from bench.chart import render

        render(document, out.with_suffix(".png"))
        print(f"wrote {out.with_suffix('.png')}")


def service_token() -> str:
    return development_token(
        Settings(EDUGRAPH_JWT_SECRET=SecretStr(BENCH_SECRET)), role=Role.PLATFORM_ADMIN, subject="bench"
    )


async def sample_operations(uri: str) -> list[Operation]:
    client = open_client(uri, timeout_ms=10_000)
    try:
        return operations(await sample_ids(client[DATABASE]))
    finally:
        await client.close()


@dataclass(frozen=True)
class Profile:
    """What one answer of a target to an operation looks like: objects, bytes, round trips."""

    objects: int
    size: int
    trips: int


async def profile(target: Target, operation: Operation, database: Database) -> Profile:
    url, payload = target.request(operation)
    async with httpx.AsyncClient(timeout=300, headers=target.headers) as client:
        response = await client.post(url, json=payload)
    body = orjson.loads(response.content)
    if response.status_code != 200 or "errors" in body:
        raise RuntimeError(f"{target.name} could not answer {operation.label}: {response.text[:500]}")
    trips = await count_round_trips(target.name, database.uri, *request_for(target.name, operation), target.headers)
    return Profile(count_objects(body.get("data")), len(response.content), trips)


async def take_turn(
    target: Target, operation: Operation, database: Database, *, concurrency: int, seconds: float
) -> Turn:
    """Drive ``target`` for ``seconds``, reading each process's CPU before and after."""
    url, payload = target.request(operation)
    me = psutil.Process()
    before = [cpu_seconds(p) for p in (target.process, database.process, me)]
    load = await drive(url, payload, target.headers, concurrency=concurrency, seconds=seconds)
    service, db, client = (
        cpu_seconds(p) - b for p, b in zip((target.process, database.process, me), before, strict=True)
    )
    return Turn(load, service, db, client, peak_rss_mb(target.process))


def measure(
    target: Target, operation: Operation, shape: Profile, database: Database, *, concurrency: int, turns: list[Turn]
) -> Result:
    """One cell's figures from all of the target's turns at it, added up."""
    latencies = [latency for turn in turns for latency in turn.load.latencies]
    errors = sum(turn.load.errors for turn in turns)
    seconds = sum(turn.load.seconds for turn in turns)
    service = sum(turn.service_cpu for turn in turns)
    db = sum(turn.db_cpu for turn in turns)
    client = sum(turn.client_cpu for turn in turns)
    n = len(latencies) + errors
    ms = [latency * 1000 for latency in latencies]
    return Result(
        target=target.name,
        scale=database.scale,
        operation=operation.label,
        concurrency=concurrency,
        requests=n,
        errors=errors,
        seconds=seconds,
        requests_per_s=len(latencies) / seconds,
        p50_ms=percentile(ms, 0.50) if ms else None,
        p95_ms=percentile(ms, 0.95) if ms else None,
        p99_ms=percentile(ms, 0.99) if ms else None,
        cpu_us_per_request=per(service, n),
        cpu_us_per_object=per(service, n * max(shape.objects, 1)),
        db_cpu_us_per_request=per(db, n),
        client_cpu_us_per_request=per(client, n),
        objects_per_response=shape.objects,
        response_bytes=shape.size,
        round_trips=shape.trips,
        peak_rss_mb=max(turn.peak_rss_mb for turn in turns),
    )


async def measure_scale(
    database: Database,
    names: Sequence[str],
    levels: Sequence[int],
    seconds: float,
    failures: list[dict[str, Any]],
    *,
    rounds: int = 1,
) -> list[Result]:
    """Every operation on every target at this scale, each cell ``seconds`` long in
    ``rounds`` turns. An operation a target cannot answer (an error in its response) is
    printed and added to ``failures``, and that operation's cells are left out; the other
    operations are still measured."""
    results: list[Result] = []
    env = {"EDUGRAPH_JWT_SECRET": BENCH_SECRET}
    headers = {"authorization": f"Bearer {service_token()}"}
    async with contextlib.AsyncExitStack() as stack:
        targets = [
            await stack.enter_async_context(
                running(name, uri=database.uri, database=DATABASE, env=env, headers=headers)
            )
            for name in names
        ]
        for operation in await sample_operations(database.uri):
            # graphql-js serves the directory only: its other cells are left out (a gap).
            serving = [target for target in targets if serves(target.name, operation)]
            try:
                shapes = [await profile(target, operation, database) for target in serving]
            except (RuntimeError, httpx.HTTPError) as error:
                print(f"scale {database.scale:g}, {operation.label} left out: {error}", flush=True)
                failures.append({"scale": database.scale, "operation": operation.label, "error": str(error)[:2000]})
                continue
            # Targets take turns at each level, in rounds, each turn a share of the seconds:
            # a target measured in one stretch would meet only the load of its stretch on
            # a shared machine, and its neighbours others.
            share = seconds / rounds
            for concurrency in levels:
                turns: list[list[Turn]] = [[] for _ in serving]
                for _ in range(rounds):
                    for target, taken in zip(serving, turns, strict=True):
                        turn = await take_turn(target, operation, database, concurrency=concurrency, seconds=share)
                        taken.append(turn)
                for target, shape, taken in zip(serving, shapes, turns, strict=True):
                    result = measure(target, operation, shape, database, concurrency=concurrency, turns=taken)
                    print_row(result)
                    results.append(result)
    return results


def rounded(row: dict[str, Any]) -> dict[str, Any]:
    """Measurements to two decimals (the noise is far larger); the scale as given."""
    return {
        key: round(value, 2) if isinstance(value, float) and key != "scale" else value for key, value in row.items()
    }


async def run(args: argparse.Namespace) -> int:
    """Measure every scale in turn. A scale that fails (a target that cannot answer, a
    server that does not start) is reported and left out, and the others still are:
    the results file is rewritten after each scale, so an interrupted run keeps what it
    measured."""
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    results: list[Result] = []
    scale_rows: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []

    def document() -> dict[str, Any]:
        return {
            "meta": {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                # The machine's 1, 5 and 15 minute load averages before and after: other work
                # on a shared machine shows here.
                "load_average_before": load_before,
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "seconds_per_cell": args.seconds,
                "rounds": args.rounds,
                "run_seconds": round(time.perf_counter() - started),
                "failures": failures,
            },
            "scales": scale_rows,
            "results": [rounded(asdict(result)) for result in results],
        }

    args.out.parent.mkdir(parents=True, exist_ok=True)
    for index, scale in enumerate(args.scales):
        concurrency = args.concurrency if index == 0 else args.scale_concurrency
        try:
            async with seeded_database(scale) as database:
                print(
                    f"scale {scale:g}: {database.documents} documents seeded in {database.seed_seconds:.0f} s",
                    flush=True,
                )
                measured = await measure_scale(
                    database, args.targets, concurrency, args.seconds, failures, rounds=args.rounds
                )
        except (RuntimeError, httpx.HTTPError) as error:
            print(f"scale {scale:g} failed, left out: {error}", flush=True)
            failures.append({"scale": scale, "error": str(error)[:2000]})
            continue
        scale_rows.append(
            {"scale": scale, "documents": database.documents, "seed_seconds": round(database.seed_seconds, 1)}
        )
        results += measured
        write(document(), args.out)
    if not scale_rows:
        return 1
    written = document()
    write(written, args.out)
    print(f"wrote {args.out}")
    report(written, args.out, chart=not args.no_chart)
    return 1 if failures else 0


def write(document: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
