"""A small time-limited cache of computed results shared by the requests of one process.

The dashboard's yearly figures scan whole collections; they change slowly and every
visitor asks for the same ones, so one computation serves every request for a short
while (``EDUGRAPH_STATISTICS_TTL_S``). Concurrent requests for a missing entry share
one computation instead of each starting their own. Writes made through this process
call ``clear`` so their effect shows at once; other processes see it within the TTL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any


class TTLCache:
    """Results by key for ``ttl_s`` seconds; ``ttl_s == 0`` turns caching off."""

    def __init__(self, ttl_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}

    async def get_or_compute[T](self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        if self.ttl_s <= 0:
            return await compute()
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            result: T = await asyncio.shield(entry[1])
            return result
        future: asyncio.Future[T] = asyncio.ensure_future(compute())
        self._entries[key] = (now + self.ttl_s, future)
        try:
            return await asyncio.shield(future)
        except BaseException:
            # A failure (say, MongoDB unreachable) is not remembered: the next request retries.
            if self._entries.get(key, (0.0, None))[1] is future:
                del self._entries[key]
            raise

    def clear(self) -> None:
        self._entries.clear()
