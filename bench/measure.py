"""The measuring itself: load from concurrent clients, and the arithmetic on what comes back.

The pure pieces (``count_objects``, ``percentile``) are tested on their own; ``drive``
and the process readings need running processes and are exercised by the harness.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil


@dataclass(frozen=True)
class Result:
    """One measured cell: a target serving one operation at one scale and concurrency."""

    target: str
    scale: float
    operation: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    requests_per_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    cpu_us_per_request: float
    """The target process's CPU (user + system) per request."""
    cpu_us_per_object: float
    """The same per JSON object of the response: what building one object costs."""
    db_cpu_us_per_request: float
    """The embedded database server's CPU per request: where it exceeds the target's,
    the database, not the service, is the limit."""
    client_cpu_us_per_request: float
    """The load generator's own CPU per request (it shares the machine's cores)."""
    objects_per_response: int
    response_bytes: int
    round_trips: int | None
    peak_rss_mb: float


def count_objects(value: Any) -> int:
    """How many JSON objects a decoded JSON value holds, itself included."""
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``q`` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    if not 0 < q <= 1:
        raise ValueError(f"q must be in (0, 1]; got {q}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def per(total: float, count: int) -> float:
    """``total`` shared over ``count`` items, in millionths (µs from seconds)."""
    return total / max(count, 1) * 1e6


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def peak_rss_mb(process: psutil.Process) -> float:
    """The process's peak resident memory (Linux's VmHWM); its current RSS elsewhere."""
    status = Path(f"/proc/{process.pid}/status")
    if status.exists():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float(process.memory_info().rss) / 2**20


@dataclass(frozen=True)
class Load:
    """What ``drive`` saw: each successful exchange's latency in seconds, and the failures."""

    latencies: list[float]
    errors: int
    seconds: float


@dataclass(frozen=True)
class Turn:
    """One target's turn at a cell: what ``drive`` saw, the CPU seconds each process spent
    meanwhile, and the target's peak memory at its end."""

    load: Load
    service_cpu: float
    db_cpu: float
    client_cpu: float
    peak_rss_mb: float


def failed(response: httpx.Response) -> bool:
    return response.status_code != 200 or "errors" in orjson.loads(response.content)


async def drive(
    url: str, payload: dict[str, Any], headers: dict[str, str], *, concurrency: int, seconds: float
) -> Load:
    """``concurrency`` clients each sending the request again as soon as it is answered,
    until ``seconds`` have passed (requests under way then are waited for)."""
    latencies: list[float] = []
    errors = 0
    body = orjson.dumps(payload)
    headers = {**headers, "content-type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    started = time.perf_counter()
    deadline = started + seconds
    async with httpx.AsyncClient(limits=limits, timeout=300, headers=headers) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    response = await client.post(url, content=body)
                except httpx.HTTPError:
                    errors += 1
                    continue
                if failed(response):
                    errors += 1
                else:
                    latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Load(latencies=latencies, errors=errors, seconds=time.perf_counter() - started)
