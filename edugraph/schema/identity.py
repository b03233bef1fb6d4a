"""The ``id`` field every entity type has: its public id, made from the document's ``_id``."""

from __future__ import annotations

from typing import Any

import strawberry
from bson import ObjectId

from edugraph.execution.inline import INLINE, PrefixedString
from edugraph.ids import IdPrefix, id_head, to_public_id


def public_id_field(prefix: IdPrefix) -> Any:
    """The ``id`` field of a type whose model keeps its ObjectId as ``_oid``.

    One definition for every type, which also tells the compiled executor the value is
    ``prefix + str(self._oid)``, so that it writes the id out rather than calling the
    resolver for each of the hundreds of objects of a page."""
    head = id_head(prefix)

    def id(self: Any) -> strawberry.ID:
        oid: ObjectId = self._oid
        return to_public_id(prefix, oid)

    setattr(id, INLINE, PrefixedString(attribute="_oid", prefix=head))
    return strawberry.field(resolver=id, description=f"Stable public id (starts with `{head}`).")
