"""Resolving a relation through a DataLoader: a to-one, a short to-many, or a page.

The hot relations are ``Relation`` objects: one definition of the key, the loader and
the transform, which the field's resolver applies to its parent and the compiled
executor to a whole level of parents at once (``edugraph.execution.batched``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache, partial
from importlib import import_module
from typing import Any, Concatenate

from bson import ObjectId

from edugraph.context import Info
from edugraph.execution.batched import hopped
from edugraph.execution.later import later
from edugraph.ids import IdPrefix, parse_id
from edugraph.loaders.base import Document, LoaderRegistry
from edugraph.loaders.batch import Loader
from edugraph.policy import denial
from edugraph.schema.models import nodes_of

Prepared = tuple[Loader[Any, Any], Callable[[Any], Any]]


@dataclass(frozen=True, slots=True)
class Relation[T]:
    """A relation of a model: the key its ``attribute`` holds, and ``prepare``, which for a
    resolver's arguments gives the loader and what to make of a key's answer."""

    attribute: str
    prepare: Callable[[dict[str, Any]], Prepared]

    def resolve(self, parent: object, **kwargs: Any) -> T:
        """The field's value for one parent: what the marked resolver returns."""
        key = getattr(parent, self.attribute)
        loader, then = self.prepare(kwargs)
        if key is None:
            value: T = hopped(then(None))
        else:
            value = later(loader.load(key), lambda loaded: hopped(then(loaded)))
        return value


def to_one[T](
    attribute: str,
    loader: Callable[[Info], Loader[Any, Document | None]],
    to_node: Callable[[], Callable[[Document], T]],
) -> Relation[T | None]:
    """The node a foreign key points at (null when unset or gone). ``to_node`` gives the
    node's constructor: asked for when the relation is used, so that the relation may be
    defined before the type it returns."""
    return Relation(attribute, lambda kwargs: (loader(kwargs["info"]), partial(_node_or_none, to_node())))


def to_many[T](
    attribute: str,
    loader: Callable[[Info], Loader[Any, list[Document]]],
    to_node: Callable[[], Callable[[Document], T]],
    *,
    matching: str | None = None,
) -> Relation[list[T]]:
    """The nodes whose foreign key is the parent's key: a short list, in full. With
    ``matching``, only the documents whose field of that name equals the resolver's
    argument of the same name (all of them while the argument is null): a filter the
    loader, shared by every value of the argument, cannot apply."""
    if matching is None:
        return Relation(attribute, lambda kwargs: (loader(kwargs["info"]), nodes_of(to_node())))
    field = matching

    def prepare(kwargs: dict[str, Any]) -> Prepared:
        wanted, nodes = kwargs.get(field), nodes_of(to_node())
        if wanted is None:
            return loader(kwargs["info"]), nodes
        return loader(kwargs["info"]), lambda docs: nodes([doc for doc in docs if doc[field] == wanted])

    return Relation(attribute, prepare)


def of_request[**P, L](factory: Callable[Concatenate[LoaderRegistry, P], L]) -> Callable[Concatenate[Info, P], L]:
    """A loader of the request, as ``to_one``, ``to_many`` and ``paged`` ask for it (with
    the page, for ``paged``): most relations' loaders need nothing of the request but its
    registry."""

    def loader(info: Info, /, *args: P.args, **kwargs: P.kwargs) -> L:
        return factory(info.context.loaders, *args, **kwargs)

    return loader


def node_of(module: str, name: str) -> Callable[[], Callable[[Document], Any]]:
    """The constructor of the type ``name`` of another schema module, as a relation's
    ``to_node``: the schema modules refer to each other's types, so none imports another
    when it is loaded; the type is looked up when the relation is first used."""

    @cache
    def constructor() -> Callable[[Document], Any]:
        found: Callable[[Document], Any] = getattr(import_module(module), name).from_doc
        return found

    return constructor


def load_one[K: Hashable, T](
    loader: Loader[K, Document | None], key: K | None, to_node: Callable[[Document], T]
) -> T | None:
    """The node a foreign key points at; null when the key is unset or the document is gone.

    Like every relation here it returns the loader's answer ``later`` rather than awaiting
    it in a coroutine: one small object per field instead of a coroutine and a task."""
    if key is None:
        return None
    return later(loader.load(key), partial(_node_or_none, to_node))


async def fetch_one[K: Hashable, T](
    loader: Loader[K, Document | None], key: K | None, to_node: Callable[[Document], T]
) -> T | None:
    """``load_one`` awaited: for code that needs the node itself, such as a write's answer."""
    if key is None:
        return None
    doc = await loader.load(key)
    return to_node(doc) if doc is not None else None


def _node_or_none[T](to_node: Callable[[Document], T], doc: Document | None) -> T | None:
    return to_node(doc) if doc is not None else None


async def lookup[T](
    info: Info,
    collection: str,
    loader: Loader[ObjectId, Document | None],
    key: ObjectId,
    to_node: Callable[[Document], T],
) -> T:
    """A root lookup by id: null for an unknown id where the caller sees the whole collection;
    where they see only some rows, an id they cannot see is refused (FORBIDDEN, or
    UNAUTHENTICATED without a token) — and never fetched."""
    node = await fetch_one(loader, key, to_node)
    if node is None and not info.context.loaders.policy.sees_everything_of(collection):
        raise denial(info.context.viewer)
    return node  # type: ignore[return-value]


async def reference[T](
    info: Info,
    prefix: IdPrefix,
    collection: str,
    loader: Loader[ObjectId, Document | None],
    key: str,
    to_node: Callable[[Document], T],
) -> T | None:
    """Resolve a federation entity reference: the same loader, the same access rules."""
    return await lookup(info, collection, loader, parse_id(prefix, key), to_node)
