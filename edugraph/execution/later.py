"""A DataLoader's answer, transformed: what a resolver returns instead of awaiting it.

A resolver written as ``async def`` and awaiting a loader costs a coroutine, and under
graphql-core a task, per object. A resolver that returns ``later(loader.load(key),
to_node)`` costs one small object: graphql-core awaits it like any awaitable, and the
compiled executor adds a callback to the loader's future instead of starting a task.
When the loader already has the answer (a primed or repeated key), ``later`` returns
the transformed value at once and nothing is awaited at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, cast

from edugraph.loaders.batch import READY, Answer


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
    # Typed as the value, not cast to it: ``typing.cast`` is a function call, and this
    # runs once per object of a response. A loader's answer, the usual source, is read
    # directly rather than through the future-like methods.
    answer: Any
    if isinstance(source, Answer):
        answer = then(source.value) if source.state == READY else Later(source, then)
    else:
        answer = then(source.result()) if _settled(source) else Later(source, then)  # type: ignore[attr-defined]
    return answer  # type: ignore[no-any-return]


def _settled(source: object) -> bool:
    """Whether ``source`` is a future (or a loader's answer, which reads like one) already
    holding a value."""
    done = getattr(source, "done", None)
    return (
        done is not None
        and done()
        and not source.cancelled()  # type: ignore[attr-defined]
        and source.exception() is None  # type: ignore[attr-defined]
    )


def awaited[T](awaitable: Awaitable[T]) -> T:
    """An awaitable returned where GraphQL expects its value, which graphql-core awaits."""
    return cast("T", awaitable)
