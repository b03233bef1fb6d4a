"""The contract operations as GraphiQL's first tabs.

They come from ``trusted_documents.json`` — the contract operations the package already
ships (``edugraph register-documents``) — so the page needs no copy of
``../shared/contract`` at run time and shows exactly what the clients send. Each tab's
variables list every variable the operation declares, with its default or ``null``, so a
developer sees at once what to fill in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphql import OperationDefinitionNode, OperationType, parse, value_from_ast_untyped

from edugraph.persisted import load_trusted_documents


def contract_tabs(documents: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """GraphiQL ``defaultTabs``: queries first, then mutations, each group by name."""
    texts = (documents if documents is not None else load_trusted_documents()).values()
    tabs = [(_sort_key(text), {"query": text, "variables": _variables_skeleton(text)}) for text in texts]
    return [tab for _, tab in sorted(tabs, key=lambda pair: pair[0])]


def _operation(text: str) -> OperationDefinitionNode:
    operations = [d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        raise ValueError("a trusted document holds no operation")
    return operations[0]


def _sort_key(text: str) -> tuple[bool, str]:
    operation = _operation(text)
    return operation.operation is not OperationType.QUERY, operation.name.value if operation.name else ""


def _variables_skeleton(text: str) -> str:
    variables: dict[str, Any] = {
        definition.variable.name.value: (
            value_from_ast_untyped(definition.default_value) if definition.default_value else None
        )
        for definition in _operation(text).variable_definitions or ()
    }
    return json.dumps(variables, ensure_ascii=False, indent=2) if variables else ""
