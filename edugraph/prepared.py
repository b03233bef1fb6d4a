"""Parse and validate each distinct document once, not once per request.

Clients send the same few operations over and over; parsing and validating one costs
milliseconds (graphql-core builds a visitor over some thirty rules per request), while
looking it up costs a dictionary access. ``PreparedDocuments`` keeps the parsed document
and its validation errors by the document's text, bounded (least recently used first
out), so a flood of distinct documents cannot grow memory.

The validation rules — graphql-core's, Strawberry's, the depth and alias limits, and
the introspection switch — are built once with the schema (Strawberry's limiter
extensions build a new rule class per request, which also defeats any cache). Neither
parsing nor validation depends on anything but the text, the schema and these rules, so
a cached answer is the answer; variables only matter to the cost limit, which the
extension still checks per request (``edugraph.limits.cost_refusal``), before this cache
is consulted. Validation errors are kept coded (``edugraph.errors.validation_failed``).

One extension does all three — parse, cost, validate — because each hook an extension
has costs every request a context manager of Strawberry's: as three extensions (cost
limit, cache, error codes) they took four hooks where one extension takes two.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types.execution import ExecutionContext

from edugraph.errors import validation_failed

DOCUMENT_CAPACITY = 512
# Longer texts are parsed and validated each time rather than held: the cache's memory
# stays under capacity × this many characters.
MAX_CACHED_CHARACTERS = 20_000


CostLimit = Callable[[DocumentNode, str | None, Mapping[str, Any]], GraphQLError | None]
"""The error refusing a document too costly with the request's variables, or None
(``edugraph.limits.cost_refusal`` with its limit)."""


@dataclass(slots=True)
class Prepared:
    document: DocumentNode
    errors: list[GraphQLError] | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    introspection: bool


def validation_rules(limits: Limits | None) -> tuple[type[ASTValidationRule], ...]:
    """The rules every document is validated against, on top of the specified ones."""
    from graphql import specified_rules

    rules: list[type[ASTValidationRule]] = list(specified_rules)
    if limits is not None:
        rules += QueryDepthLimiter(max_depth=limits.max_depth).validation_rules
        rules += MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules
        if not limits.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
    return tuple(rules)


class PreparedDocuments:
    """Parsed documents and their validation errors, by text, least recently used out."""

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int | None,
        cost_limit: CostLimit | None = None,
        hide_suggestions: bool = False,
        capacity: int = DOCUMENT_CAPACITY,
    ) -> None:
        self.rules = tuple(rules)
        self.max_tokens = max_tokens
        self.cost_limit = cost_limit
        self.hide_suggestions = hide_suggestions
        self.capacity = capacity
        self._entries: OrderedDict[str, Prepared] = OrderedDict()

    def get(self, text: str) -> Prepared | None:
        entry = self._entries.get(text)
        if entry is not None:
            self._entries.move_to_end(text)
        return entry

    def remember(self, text: str, document: DocumentNode) -> Prepared | None:
        if len(text) > MAX_CACHED_CHARACTERS:
            return None
        entry = self._entries[text] = Prepared(document)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return entry

    def validate(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        """The document's validation errors, coded (suggestions hidden if asked)."""
        errors = validate_document(schema, document, self.rules)
        return [validation_failed(error, hide_suggestions=self.hide_suggestions) for error in errors]

    def __len__(self) -> int:
        return len(self._entries)

    def extension(self) -> type[SchemaExtension]:
        """The schema extension that parses and validates through this cache, and checks
        the cost limit in between."""
        documents = self

        class DocumentCache(SchemaExtension):
            def __init__(self) -> None:
                self._entry: Prepared | None = None

            def on_parse(self) -> Iterator[None]:
                context = self.execution_context
                query = context.query
                entry = documents.get(query) if query else None
                if entry is not None:
                    context.graphql_document = entry.document
                elif documents.max_tokens is not None:
                    context.parse_options["max_tokens"] = documents.max_tokens
                yield
                if entry is None and query and context.graphql_document is not None:
                    entry = documents.remember(query, context.graphql_document)
                self._entry = entry

            def on_validate(self) -> Iterator[None]:
                context = self.execution_context
                if context.pre_execution_errors is None:
                    # None: no earlier extension has refused the operation.
                    refusal = _over_cost(documents.cost_limit, context)
                    # Set before validation runs, the errors stop the operation there.
                    context.pre_execution_errors = [refusal] if refusal else _errors(documents, self._entry, context)
                yield

        return DocumentCache


def _over_cost(cost_limit: CostLimit | None, context: ExecutionContext) -> GraphQLError | None:
    document = context.graphql_document
    if cost_limit is None or document is None:
        return None
    return cost_limit(document, context.operation_name, context.variables or {})


def _errors(documents: PreparedDocuments, entry: Prepared | None, context: ExecutionContext) -> list[GraphQLError]:
    if entry is not None and entry.errors is not None:
        return list(entry.errors)
    assert context.graphql_document is not None
    errors = documents.validate(context.schema._schema, context.graphql_document)
    if entry is not None:
        entry.errors = list(errors)
    return errors
