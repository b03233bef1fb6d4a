"""Resolvers the compiled executor may write as an expression instead of calling.

Every object of a response has an ``id``, and its resolver is the same one line on every
type: a prefix and the document's ObjectId as hex. Called, that is three Python-level
calls per object (the resolver, ``to_public_id``, ``ObjectId.__str__``); written into
the generated filler as ``prefix + str(source._oid)`` it is one. A resolver says it may
be inlined by carrying a ``PrefixedString`` under ``INLINE``; graphql-core still calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INLINE = "__edugraph_inline__"


@dataclass(frozen=True, slots=True)
class PrefixedString:
    """The resolver returns exactly ``prefix + str(getattr(self, attribute))``."""

    attribute: str
    prefix: str


def inline_form(function: Any) -> PrefixedString | None:
    """The expression a resolver function declares it computes, if any."""
    form = getattr(function, INLINE, None)
    return form if isinstance(form, PrefixedString) else None
