"""Limits on what one GraphQL document may ask for, so no request can exhaust the service.

Depth, aliases and tokens use Strawberry's own limiters; the cost limit is ours: every
field costs 1, and a connection multiplies the cost of what it selects by its page size
(``first``, or the default page when absent), so ``institutions(first: 100) { courses
(first: 100) { … } }`` costs what it may fetch. It is checked before validation and
execution, with the request's variables, and reported as a validation error
(``cost_refusal``, called by the document cache's extension in ``edugraph.prepared``).

Only integer variables can change a cost (a ``first`` given as a variable), so a
document's cost is remembered by the document (the document cache hands the same
object to every request with the same text), its operation name and those variables:
the walk over the document is made once per distinct page size, not once per request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)

from edugraph.schema.pagination import DEFAULT_PAGE_SIZE

_CONNECTION_FIELDS = frozenset({"nodes", "edges"})


COST_CAPACITY = 1024
_CostKey = tuple[int, str | None, tuple[tuple[str, int], ...]]
_costs: OrderedDict[_CostKey, tuple[DocumentNode, int]] = OrderedDict()


def document_cost(document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]) -> int:
    """``operation_cost`` of a document, remembered (least recently used out)."""
    numbers = tuple(sorted((name, value) for name, value in variables.items() if isinstance(value, int)))
    key = (id(document), operation_name, numbers)
    known = _costs.get(key)
    if known is not None and known[0] is document:
        _costs.move_to_end(key)
        return known[1]
    cost = operation_cost(document.definitions, operation_name, variables)
    _costs[key] = (document, cost)
    while len(_costs) > COST_CAPACITY:
        _costs.popitem(last=False)
    return cost


def cost_refusal(
    document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any], max_cost: int
) -> GraphQLError | None:
    """The validation error refusing an operation whose cost exceeds ``max_cost``, or None."""
    cost = document_cost(document, operation_name, variables)
    if cost <= max_cost:
        return None
    return GraphQLError(
        f"The operation's cost is {cost}, over the limit of {max_cost}: "
        "ask for smaller pages (first) or fewer nested lists.",
        extensions={"code": "GRAPHQL_VALIDATION_FAILED", "cost": cost, "maxCost": max_cost},
    )


def operation_cost(definitions: Any, operation_name: str | None, variables: Mapping[str, Any]) -> int:
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    return max((_cost(o.selection_set, fragments, variables, frozenset()) for o in operations), default=0)


def _cost(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    seen: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            inner = _cost(selection.selection_set, fragments, variables, seen)
            total += 1 + _page_size(selection, variables) * inner
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue  # a cycle or an unknown fragment: validation reports those
            total += _cost(fragments[name].selection_set, fragments, variables, seen | {name})
    return total


def _page_size(field: FieldNode, variables: Mapping[str, Any]) -> int:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 1)
            if isinstance(value, VariableNode):
                given = variables.get(value.name.value)
                return max(given, 1) if isinstance(given, int) else DEFAULT_PAGE_SIZE
    if field.selection_set is not None and any(
        isinstance(s, FieldNode) and s.name.value in _CONNECTION_FIELDS for s in field.selection_set.selections
    ):
        return DEFAULT_PAGE_SIZE
    return 1
