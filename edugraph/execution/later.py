"""A DataLoader's answer, transformed: what a resolver returns instead of awaiting it.

A resolver written as ``async def`` and awaiting a loader costs a coroutine, and under
graphql-core a task, per object. A resolver that returns ``later(loader.load(key),
to_node)`` costs one small object: graphql-core awaits it like any awaitable, and the
compiled executor adds a callback to the loader's future instead of starting a task.
When the loader already has the answer (a primed or repeated key), ``later`` returns
the transformed value at once and nothing is awaited at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from typing import Any, cast


class Later[S, T]:
    """``then(await source)``, where ``then`` may itself return an awaitable to wait for."""

    __slots__ = ("source", "then")

    def __init__(self, source: Awaitable[S], then: Callable[[S], Any]) -> None:
        self.source = source
        self.then = then

    def __await__(self) -> Generator[Any, None, T]:
        value: Any = self.then((yield from self.source.__await__()))
        while hasattr(value, "__await__"):
            value = yield from value.__await__()
        return cast("T", value)


def later[S, T](source: Awaitable[S], then: Callable[[S], T | Awaitable[T]]) -> T:
    """``then`` applied to what ``source`` yields, as a value GraphQL awaits.

    The annotation is the GraphQL type a resolver declares: graphql-core (and the
    compiled executor) await whatever awaitable a resolver returns.
    """
    if isinstance(source, asyncio.Future) and source.done() and not source.cancelled() and source.exception() is None:
        return cast("T", then(source.result()))
    return cast("T", Later(source, then))


def awaited[T](awaitable: Awaitable[T]) -> T:
    """An awaitable returned where GraphQL expects its value, which graphql-core awaits."""
    return cast("T", awaitable)
