"""Model objects from documents, made cheaply: one is made for every object of a response.

A Strawberry type's generated ``__init__`` takes its fields as keyword arguments, and a
Python enum's constructor looks its value up through ``EnumType.__call__``: together
about two microseconds per object, as much as the rest of the object's resolution. The
hot ``from_doc`` constructors (the types a page of the directory returns in hundreds)
use these two helpers instead: the same object, with the same attributes.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

_new = object.__new__


def members_by_value[E: Enum](enum: type[E]) -> dict[Any, E]:
    """``enum(value)`` as a table: indexing it raises ``KeyError`` where the call raises
    ``ValueError``, for a stored value the schema does not know."""
    return {member.value: member for member in enum}


def assemble[T](cls: type[T], attributes: dict[str, Any]) -> T:
    """An instance of ``cls`` whose attributes are ``attributes``, without calling
    ``__init__``. Only for plain dataclasses, and with every field given: there is no
    ``__post_init__`` to run and no default to fill in."""
    instance: T = _new(cls)
    instance.__dict__ = attributes
    return instance
