"""The one schema: every domain's root fields merged into a single ``Query``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.printer import print_schema
from strawberry.types import ExecutionContext

from edugraph.config import Settings
from edugraph.context import start_afresh
from edugraph.errors import ErrorCodes
from edugraph.execution.executor import CompiledExecutor
from edugraph.hooks import ExtensionsRunner, HookTable
from edugraph.limits import cost_refusal
from edugraph.prepared import Limits, PreparedDocuments, validation_rules
from edugraph.resolvers.alliance import AllianceQuery
from edugraph.resolvers.alliance_mutations import AllianceMutation
from edugraph.resolvers.credit_bank import CreditBankQuery
from edugraph.resolvers.credit_bank_mutations import CreditBankMutation
from edugraph.resolvers.live import Subscription
from edugraph.resolvers.park import ParkQuery
from edugraph.resolvers.park_mutations import ParkMutation
from edugraph.resolvers.statistics import StatisticsQuery
from edugraph.resolvers.tutoring import TutoringQuery
from edugraph.resolvers.tutoring_mutations import TutoringMutation


@strawberry.type(
    description=(
        "Entry points into Anhui's continuing-education data: the online learning park, the "
        "credit bank, the university alliances and self-study-exam tutoring. Start from an "
        "institution or a learner and follow the fields to everything related to it."
    )
)
class Query(ParkQuery, CreditBankQuery, AllianceQuery, TutoringQuery, StatisticsQuery):
    pass


# The newest version both Apollo's composition and The Guild's accept (The Guild's stops at 2.9).
FEDERATION_VERSION: Final = "2.9"


class EdugraphSchema(strawberry.federation.Schema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hooks = HookTable()

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        """Strawberry's runner, but finding each extension class's hooks once, not per request
        (``edugraph.hooks``)."""
        return ExtensionsRunner(execution_context, extensions, self._hooks)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log nothing here: ``ErrorCodes`` logs the unexpected errors, and expected ones
        (bad input, an unreachable database) are the client's business, not a traceback."""


@strawberry.type(
    description=(
        "Changes. Each takes an optional `idempotencyKey`: retry with the same key after a "
        "timeout and you get the first answer, never a second booking."
    )
)
class Mutation(ParkMutation, CreditBankMutation, AllianceMutation, TutoringMutation):
    pass


def build_schema(settings: Settings | None = None, *, observers: Sequence[Any] = ()) -> strawberry.Schema:
    """The schema, with the limits and production switches of ``settings`` (none: no limits),
    and ``observers`` (extension classes that watch operations, such as metrics)."""
    extensions: list[Any] = list(observers)
    limits: Limits | None = None
    if settings is not None:
        limits = Limits(
            max_depth=settings.max_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            introspection=settings.introspection_enabled,
        )
    documents = PreparedDocuments(
        validation_rules(limits),
        max_tokens=limits.max_tokens if limits else None,
        cost_limit=partial(cost_refusal, max_cost=settings.max_cost) if settings is not None else None,
        hide_suggestions=settings is not None and settings.production,
    )
    extensions.append(documents.extension())
    # Last, so that it codes the errors of every other extension too.
    extensions.append(ErrorCodes)
    schema = EdugraphSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        federation_version=FEDERATION_VERSION,
    )
    if settings is None or settings.compiled_execution:
        compiled = CompiledExecutor.for_schema(schema, restart=start_afresh)
        schema.execution_context_class = compiled or schema.execution_context_class
    return schema


schema = build_schema()


def schema_sdl() -> str:
    """The schema in SDL, as committed in ``schema.graphql``."""
    return print_schema(schema) + "\n"
