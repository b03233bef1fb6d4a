"""Relations the compiled executor resolves for a whole level of parents at once.

A relation resolver (an institution's courses, a course's resources) does the same
thing for every parent: find the request's loader for its arguments, load the parent's
key, and turn the answer into the field's value. Called once per parent, with its answer
listened to and resumed one by one, that is some twenty Python calls per parent; a page
of 50 institutions has 200 such fields. A resolver marked with its ``Batchable``
relation lets the executor do it per level instead: the loader and the transform are
found once per request, the keys of all the level's parents are loaded in one call
(``Loader.load_all``), and the level waits for its batch once.

A relation through a link collection (an institution's alliances, through its
memberships) has a second step: its transform returns a ``Hop``, the keys to load next,
which the executor loads for the whole level in one call too.

The marked resolver must return exactly what the relation describes — ``then`` applied
to the loaded value of ``getattr(self, attribute)`` — since graphql-core still calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from edugraph.execution.later import later
from edugraph.loaders.batch import Loader

BATCHED = "__edugraph_batched__"


class Batchable(Protocol):
    """A relation: a key read from the parent, a loader, and what to make of its answer."""

    @property
    def attribute(self) -> str:
        """The parent's attribute holding the key (a ``None`` key answers ``then(None)``)."""
        ...

    def prepare(self, kwargs: dict[str, Any]) -> tuple[Loader[Any, Any], Callable[[Any], Any]]:
        """The loader and the transform for the resolver's arguments (``info`` among them)."""
        ...


def batched[F: Callable[..., Any]](relation: Batchable) -> Callable[[F], F]:
    """Mark a resolver as resolving ``relation`` (and nothing else)."""

    def mark(function: F) -> F:
        setattr(function, BATCHED, relation)
        return function

    return mark


def batched_form(function: Any) -> Batchable | None:
    """The relation a resolver function is marked with, if any."""
    relation: Batchable | None = getattr(function, BATCHED, None)
    return relation


@dataclass(frozen=True, slots=True)
class Hop[K, V, T]:
    """A relation's next step: load ``keys`` with ``loader``, then ``finish`` their values
    (in the keys' order)."""

    loader: Loader[K, V]
    keys: list[K]
    finish: Callable[[list[V]], T]


def hopped(value: Any) -> Any:
    """A transform's answer as a resolver returns it: a ``Hop`` becomes its loads, awaited
    ``later``; anything else is the value itself."""
    if type(value) is Hop:
        return later(value.loader.load_many(value.keys), value.finish)
    return value
