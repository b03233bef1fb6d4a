"""Which document fields a connection's selection needs: the projection pushed to MongoDB.

Decoding is most of what a fetched document costs the service (an ObjectId is a Python
object per id field, a datetime per date): a page of resources asked for ``{ id kind }``
need not bring back their course, title, length and date. Each type lists, per GraphQL
field, the document fields it reads; a connection's ``nodes`` (and ``edges { node }``)
selection, fragments included, then names the projection. ``@skip`` and ``@include`` are
ignored (a field that might be selected is fetched), and a field a type does not list
means the whole document. The answer depends only on the document, so it is computed
once per field node.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from edugraph.context import Info

# Per GraphQL field of a type, the document fields its value is made from.
DocumentFields = Mapping[str, tuple[str, ...]]

_CAPACITY = 2048
_known: OrderedDict[int, tuple[FieldNode, tuple[str, ...] | None]] = OrderedDict()


def node_fields(info: Info, fields: DocumentFields) -> tuple[str, ...] | None:
    """The document fields the nodes selected under this connection field need (``_id``
    always), or None when the selection asks for something ``fields`` does not list."""
    return _cached(info, fields, connection=True)


def item_fields(info: Info, fields: DocumentFields) -> tuple[str, ...] | None:
    """``node_fields`` for a field that is a plain list (or one object) of the type."""
    return _cached(info, fields, connection=False)


def _cached(info: Info, fields: DocumentFields, *, connection: bool) -> tuple[str, ...] | None:
    # The raw resolve info: Strawberry's ``selected_fields`` would rebuild the selection
    # for every object, where the field node is all the projection depends on.
    raw = info._raw_info
    node = raw.field_nodes[0]
    if len(raw.field_nodes) > 1:
        return _compute(raw.field_nodes, raw.fragments, fields, connection=connection)
    known = _known.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    projection = _compute([node], raw.fragments, fields, connection=connection)
    _known[id(node)] = (node, projection)
    while len(_known) > _CAPACITY:
        _known.popitem(last=False)
    return projection


def _compute(
    nodes: list[FieldNode],
    fragments: dict[str, FragmentDefinitionNode],
    fields: DocumentFields,
    *,
    connection: bool = True,
) -> tuple[str, ...] | None:
    wanted: set[str] = {"_id"}
    for node in nodes:
        if not connection:
            if not _add(node.selection_set, fragments, fields, wanted):
                return None
            continue
        for name, child in _fields(node.selection_set, fragments):
            if name == "nodes":
                if not _add(child.selection_set, fragments, fields, wanted):
                    return None
            elif name == "edges":
                for edge_name, edge_child in _fields(child.selection_set, fragments):
                    if edge_name == "node" and not _add(edge_child.selection_set, fragments, fields, wanted):
                        return None
    return tuple(sorted(wanted))


def _add(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    fields: DocumentFields,
    wanted: set[str],
) -> bool:
    for name, _ in _fields(selection_set, fragments):
        if name == "__typename":
            continue
        needed = fields.get(name)
        if needed is None:
            return False
        wanted.update(needed)
    return True


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> list[tuple[str, FieldNode]]:
    """The fields of a selection set, through inline fragments and fragment spreads."""
    found: list[tuple[str, FieldNode]] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            found.append((selection.name.value, selection))
        elif isinstance(selection, InlineFragmentNode):
            found += _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                found += _fields(fragments[name].selection_set, fragments, seen | {name})
    return found
