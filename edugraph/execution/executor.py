"""The executor Strawberry runs operations with: the compiled plan first, graphql-core's otherwise.

It is graphql-core's executor (Strawberry's subclass of it), built the standard way —
operation selection and variable coercion, with their errors, are graphql-core's. Only
``execute_operation`` changes: a query whose plan compiles runs on the plan; when the
plan abandons (any error, anything it does not reproduce exactly), the same executor
runs the operation the standard way from the start, so the response is graphql-core's.
Mutations, subscriptions and middleware always take the standard way.

Plans are kept per operation (the parsed documents are themselves cached, so the same
operation node comes back request after request), bounded, and per value of the
variables ``@skip`` and ``@include`` read.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import strawberry
from graphql import (
    DirectiveNode,
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from edugraph.execution.codegen import with_fillers
from edugraph.execution.plan import Compiler, OperationPlan, Unsupported
from edugraph.execution.run import PathUnavailable, Run

logger = logging.getLogger("edugraph.execution")

PLAN_CAPACITY = 512


@dataclass
class ExecutionStats:
    """How operations ran: on a plan, or the standard way (and why)."""

    compiled: int = 0
    standard: int = 0
    abandoned: int = 0


@dataclass
class _Entry:
    operation: OperationDefinitionNode  # held so that its id() stays this operation's
    switches: tuple[str, ...]  # the variables @skip and @include read
    plans: dict[tuple[Any, ...], OperationPlan | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Setup:
    """What an executor class knows of its schema, and its caches."""

    compiler: Compiler
    config: Any  # Strawberry's config: name conversion, info class, default resolver
    scalar_registry: Any
    restart: Callable[[Any], None]
    stats: ExecutionStats = field(default_factory=ExecutionStats)
    plans: OrderedDict[int, _Entry] = field(default_factory=OrderedDict)


class CompiledExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor that runs query operations on compiled plans when it can."""

    setup: ClassVar[Setup]

    @classmethod
    def for_schema(
        cls, schema: strawberry.Schema, *, restart: Callable[[Any], None] | None = None
    ) -> type[CompiledExecutor] | None:
        """An executor class with its own plan cache for ``schema`` (None when the schema
        has exception handlers, which the plans do not apply).

        ``restart`` is called with the request's context before an abandoned plan's
        operation runs again, to drop what the attempt loaded: graphql-core's error order
        depends on which answers are already at hand."""
        converter = schema.schema_converter
        if getattr(converter, "exception_handlers", ()):
            return None
        setup = Setup(
            compiler=Compiler(schema._schema, schema.config.default_resolver),
            config=schema.config,
            scalar_registry=converter.scalar_registry,
            restart=restart or _keep,
        )
        return type("SchemaCompiledExecutor", (cls,), {"setup": setup})

    @property
    def stats(self) -> ExecutionStats:
        return self.setup.stats

    def execute_operation(self, serially: bool | None = None) -> Any:
        plan = None
        if not serially and self.abort_signal is None and not _has_middleware(self):
            plan = self.plan()
        if plan is None:
            self.stats.standard += 1
            return super().execute_operation(serially)
        return self.execute_plan(plan)

    async def execute_plan(self, plan: OperationPlan) -> Any:
        run = Run(plan, self)
        try:
            data = await run.execute()
        except (Exception, PathUnavailable) as error:
            run.abandon()
            self.stats.abandoned += 1
            logger.debug("Compiled plan abandoned (%r); running the standard executor", error)
            await run.settle_down()
            self.setup.restart(self.context_value)
            result = super().execute_operation()
            return await result if self.is_awaitable(result) else result
        self.stats.compiled += 1
        # graphql-core's executor refers to itself (its ``async_helpers`` are its own bound
        # methods), so it is freed only by the garbage collector, and with it whatever it
        # still refers to. The answer is complete: letting go of the request's context
        # frees its loaders, answers and pages now, a few hundred objects the collector
        # would otherwise walk (``tests/test_compiled_execution.py``).
        self.context_value = None
        return ExecutionResult(data, None)

    def plan(self) -> OperationPlan | None:
        operation = self.operation
        plans = self.setup.plans
        entry = plans.get(id(operation))
        if entry is None or entry.operation is not operation:
            entry = _Entry(operation, _switches(operation, self.fragment_definitions))
            plans[id(operation)] = entry
            while len(plans) > PLAN_CAPACITY:
                plans.popitem(last=False)
        else:
            plans.move_to_end(id(operation))
        coerced = self.variable_values.coerced
        key = tuple(coerced.get(name) for name in entry.switches)
        if key not in entry.plans:
            entry.plans[key] = self._compile(operation)
        return entry.plans[key]

    def _compile(self, operation: OperationDefinitionNode) -> OperationPlan | None:
        compiler = self.setup.compiler
        plan = compiler.compile_operation(operation, self.fragments, self.variable_values)
        if plan is None:
            return None
        try:
            return with_fillers(plan, compiler.default_resolver)
        except Unsupported:
            return None


def _keep(context: Any) -> None:
    del context


def _has_middleware(executor: CompiledExecutor) -> bool:
    manager = executor.middleware_manager
    return manager is not None and bool(manager.middlewares)


def _switches(operation: OperationDefinitionNode, fragments: dict[str, Any]) -> tuple[str, ...]:
    """The variables the document's directives read: field collection depends on them."""
    names: set[str] = set()
    pending: list[SelectionSetNode | None] = [operation.selection_set]
    pending += [fragment.selection_set for fragment in fragments.values()]
    while pending:
        selection_set = pending.pop()
        for selection in selection_set.selections if selection_set else ():
            for directive in selection.directives or ():
                names.update(_variables_of(directive))
            if isinstance(selection, FieldNode | InlineFragmentNode):
                pending.append(selection.selection_set)
            elif not isinstance(selection, FragmentSpreadNode):  # pragma: no cover - no other selection kinds
                raise TypeError(selection)
    return tuple(sorted(names))


def _variables_of(directive: DirectiveNode) -> list[str]:
    return [a.value.name.value for a in directive.arguments or () if isinstance(a.value, VariableNode)]
