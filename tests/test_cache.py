"""The statistics cache: reuse within the TTL, one computation for concurrent askers."""

from __future__ import annotations

import asyncio

import pytest

from edugraph.store.cache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counting() -> tuple[list[int], object]:
    calls: list[int] = []

    async def compute() -> int:
        calls.append(1)
        await asyncio.sleep(0)
        return len(calls)

    return calls, compute


async def test_a_result_is_reused_until_the_ttl_passes() -> None:
    clock = Clock()
    cache = TTLCache(10, clock=clock)
    calls, compute = counting()
    assert await cache.get_or_compute("k", compute) == 1  # type: ignore[arg-type]
    clock.now = 9.9
    assert await cache.get_or_compute("k", compute) == 1  # type: ignore[arg-type]
    clock.now = 10.1
    assert await cache.get_or_compute("k", compute) == 2  # type: ignore[arg-type]
    assert len(calls) == 2


async def test_concurrent_requests_share_one_computation() -> None:
    cache = TTLCache(10)
    calls, compute = counting()
    results = await asyncio.gather(*(cache.get_or_compute("k", compute) for _ in range(10)))  # type: ignore[arg-type]
    assert results == [1] * 10
    assert len(calls) == 1


async def test_a_failure_is_not_cached() -> None:
    cache = TTLCache(10)
    attempts: list[int] = []

    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("down")
        return "up"

    with pytest.raises(ConnectionError):
        await cache.get_or_compute("k", flaky)
    assert await cache.get_or_compute("k", flaky) == "up"


async def test_ttl_zero_computes_every_time() -> None:
    cache = TTLCache(0)
    calls, compute = counting()
    await cache.get_or_compute("k", compute)  # type: ignore[arg-type]
    await cache.get_or_compute("k", compute)  # type: ignore[arg-type]
    assert len(calls) == 2


async def test_clear_forgets_everything() -> None:
    cache = TTLCache(10)
    calls, compute = counting()
    await cache.get_or_compute("k", compute)  # type: ignore[arg-type]
    cache.clear()
    await cache.get_or_compute("k", compute)  # type: ignore[arg-type]
    assert len(calls) == 2
