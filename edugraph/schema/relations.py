"""Resolving a to-one or a short to-many relation through a DataLoader."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from strawberry.dataloader import DataLoader

from edugraph.loaders.base import Document


async def load_one[K: Hashable, T](
    loader: DataLoader[K, Document | None], key: K | None, to_node: Callable[[Document], T]
) -> T | None:
    """The node a foreign key points at; null when the key is unset or the document is gone."""
    if key is None:
        return None
    doc = await loader.load(key)
    return to_node(doc) if doc is not None else None


async def load_list[K: Hashable, T](
    loader: DataLoader[K, list[Document]], key: K, to_node: Callable[[Document], T]
) -> list[T]:
    return [to_node(doc) for doc in await loader.load(key)]
