"""Model objects from documents, made cheaply: one is made for every object of a response.

A Strawberry type's generated ``__init__`` takes its fields as keyword arguments, and a
Python enum's constructor looks its value up through ``EnumType.__call__``: together
about two microseconds per object, as much as the rest of the object's resolution. The
hot types (those a page of the directory returns in hundreds) make their objects with
``blank`` and a dictionary of attributes instead, and map stored enums through a table:
the same object, with the same attributes. They also have ``from_docs``, making the
objects of a list of documents in one loop, without a Python call per document; lists
of documents become nodes through ``nodes_of``, which uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from functools import partial
from typing import Any

blank = object.__new__
"""An instance of a class without ``__init__``: for plain dataclasses, given every attribute."""


def members_by_value[E: Enum](enum: type[E]) -> dict[Any, E]:
    """``enum(value)`` as a table: indexing it raises ``KeyError`` where the call raises
    ``ValueError``, for a stored value the schema does not know."""
    return {member.value: member for member in enum}


def nodes_of[D, T](to_node: Callable[[D], T]) -> Callable[[Iterable[D]], list[T]]:
    """What makes the nodes of a list of documents: the model's ``from_docs`` when
    ``to_node`` is its ``from_doc`` (one loop, no call per document), otherwise
    ``to_node`` applied to each document."""
    if getattr(to_node, "__name__", None) == "from_doc":
        from_docs = getattr(getattr(to_node, "__self__", None), "from_docs", None)
        if from_docs is not None:
            many: Callable[[Iterable[D]], list[T]] = from_docs
            return many
    return partial(_each, to_node)


def _each[D, T](to_node: Callable[[D], T], documents: Iterable[D]) -> list[T]:
    return [to_node(document) for document in documents]
