"""Extension hooks run exactly as Strawberry runs them, though looked up once per class.

Each test runs one small schema twice, with Strawberry's own runner and with
``edugraph.hooks.ExtensionsRunner``, and compares what the extensions saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext

from edugraph.hooks import PHASES, ExtensionsRunner, HookTable
from edugraph.schema import build_schema

Events = list[str]


@strawberry.type
class _Query:
    @strawberry.field
    def ok(self) -> int:
        return 1

    @strawberry.field
    def broken(self) -> int:
        raise ValueError("broken resolver")


class _TabledSchema(strawberry.Schema):
    """The same schema, with hooks from a ``HookTable``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = HookTable()

    def create_extensions_runner(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        return ExtensionsRunner(execution_context, extensions, self.table)


def _recording(events: Events, *, fail_in: str | None = None) -> list[type[SchemaExtension]]:
    """Extensions of each kind Strawberry accepts (generator, async generator, plain and
    async method), each writing down when it is entered and left, and with what."""

    class Generators(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            events.append("operation: enter")
            try:
                yield
            except Exception as error:
                events.append(f"operation: thrown {error}")
                raise
            result = self.execution_context.result
            events.append(f"operation: leave, errors {[e.message for e in (result and result.errors) or ()]}")

        def on_parse(self) -> Iterator[None]:
            events.append("parse: enter")
            yield
            events.append("parse: leave")

        def on_validate(self) -> Iterator[None]:
            events.append("validate: enter")
            yield
            events.append(f"validate: leave, {self.execution_context.pre_execution_errors}")

    class AsyncGenerators(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            events.append("async operation: enter")
            yield
            events.append("async operation: leave")

        async def on_execute(self) -> AsyncIterator[None]:
            events.append("async execute: enter")
            yield
            events.append("async execute: leave")

        async def get_results(self) -> dict[str, Any]:
            return {"asynchronous": len(events)}

    class Methods(SchemaExtension):
        def on_parse(self) -> None:  # type: ignore[override]
            events.append("method parse")
            if fail_in == "parse":
                raise RuntimeError("refused in parse")

        async def on_validate(self) -> None:  # type: ignore[override]
            events.append("async method validate")

        def get_results(self) -> dict[str, Any]:
            return {"methods": len(events)}

    class Plain(SchemaExtension):
        """Overrides no hook: never entered."""

    return [Generators, AsyncGenerators, Methods, Plain]


async def _events_of(query: str, *, fail_in: str | None = None) -> tuple[Events, Events]:
    stock: Events = []
    tabled: Events = []
    stock_result = await strawberry.Schema(query=_Query, extensions=_recording(stock, fail_in=fail_in)).execute(query)
    tabled_schema = _TabledSchema(query=_Query, extensions=_recording(tabled, fail_in=fail_in))
    tabled_result = await tabled_schema.execute(query)
    assert stock_result.data == tabled_result.data
    assert [e.formatted for e in stock_result.errors or ()] == [e.formatted for e in tabled_result.errors or ()]
    assert stock_result.extensions == tabled_result.extensions
    return stock, tabled


async def test_hooks_are_entered_and_left_in_strawberrys_order() -> None:
    stock, tabled = await _events_of("{ ok }")
    assert tabled == stock
    assert tabled[0] == "operation: enter"


async def test_extensions_add_the_same_results_to_the_response_as_in_strawberry() -> None:
    tabled: Events = []
    result = await _TabledSchema(query=_Query, extensions=_recording(tabled)).execute("{ ok }")
    assert result.extensions == {"asynchronous": len(tabled), "methods": len(tabled)}


async def test_hooks_see_the_errors_of_a_field_and_of_validation_as_they_do_in_strawberry() -> None:
    for query in ("{ ok broken }", "{ missing }"):
        stock, tabled = await _events_of(query)
        assert tabled == stock


async def test_an_exception_from_a_hook_unwinds_the_other_hooks_as_in_strawberry() -> None:
    stock, tabled = await _events_of("{ ok }", fail_in="parse")
    assert tabled == stock
    assert "operation: thrown refused in parse" in tabled


def test_async_hooks_refuse_synchronous_execution_as_in_strawberry() -> None:
    stock: Events = []
    tabled: Events = []
    schemas = (
        strawberry.Schema(query=_Query, extensions=_recording(stock)),
        _TabledSchema(query=_Query, extensions=_recording(tabled)),
    )
    for schema in schemas:
        with pytest.raises(RuntimeError, match="Cannot use async extension hook during sync execution"):
            schema.execute_sync("{ ok }")
    assert tabled == stock


def test_the_hooks_of_a_set_of_extension_classes_are_looked_up_once() -> None:
    table = HookTable()
    extensions = [cls() for cls in _recording([])]
    first = table.plan(extensions)
    again = table.plan([cls() for cls in map(type, extensions)])
    assert again is first
    assert [index for index, _ in first.phases["on_parse"]] == [0, 2]
    assert first.phases["on_execute"][0][1].is_async


def test_the_services_schema_enters_hooks_through_the_table() -> None:
    schema = build_schema()
    runner = schema.create_extensions_runner(
        ExecutionContext(query="{ __typename }", schema=schema, allowed_operations=()), []
    )
    assert isinstance(runner, ExtensionsRunner)


def _generators_only(events: Events, fail: str | None) -> list[type[SchemaExtension]]:
    """Two extensions whose hooks are all generator functions, as the service's are, so
    that every phase is stepped directly (``DrivenHooks``); ``fail`` picks where one
    of them misbehaves."""

    class Outer(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            events.append("outer operation: enter")
            try:
                yield
            except Exception as error:
                events.append(f"outer operation: thrown {type(error).__name__} {error}")
                if fail == "outer operation suppresses":
                    return
                raise
            events.append("outer operation: leave")

        def on_parse(self) -> Iterator[None]:
            events.append("outer parse: enter")
            try:
                yield
            except Exception as error:
                events.append(f"outer parse: thrown {type(error).__name__} {error}")
                raise
            events.append("outer parse: leave")

        def on_validate(self) -> Iterator[None]:
            if fail == "outer validate never yields":
                return
            yield

    class Inner(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            events.append("inner operation: enter")
            yield
            events.append("inner operation: leave")

        def on_parse(self) -> Iterator[None]:
            events.append("inner parse: enter")
            if fail == "inner parse enter":
                raise ValueError("refused on entering parse")
            yield
            if fail in ("inner parse leave", "outer operation suppresses"):
                raise ValueError("refused on leaving parse")
            if fail == "inner parse never stops":
                yield
            events.append("inner parse: leave")

        def on_execute(self) -> Iterator[None]:
            events.append("inner execute: enter")
            yield
            events.append("inner execute: leave")

    return [Outer, Inner]


async def _outcome(schema: strawberry.Schema, query: str) -> tuple[Any, ...]:
    try:
        result = await schema.execute(query)
    except Exception as error:  # what a hook raises may come out of execute
        return ("raised", type(error).__name__, str(error))
    return ("answered", result.data, [e.formatted for e in result.errors or ()])


FAILURES = (
    None,
    "inner parse enter",
    "inner parse leave",
    "inner parse never stops",
    "outer validate never yields",
    "outer operation suppresses",
)


@pytest.mark.parametrize("fail", FAILURES)
async def test_generator_hooks_stepped_directly_behave_as_in_strawberry(fail: str | None) -> None:
    for query in ("{ ok }", "{ ok broken }", "{ missing }"):
        stock: Events = []
        tabled: Events = []
        stock_outcome = await _outcome(strawberry.Schema(query=_Query, extensions=_generators_only(stock, fail)), query)
        tabled_schema = _TabledSchema(query=_Query, extensions=_generators_only(tabled, fail))
        tabled_outcome = await _outcome(tabled_schema, query)
        assert tabled_schema.table.plan([cls() for cls in _generators_only([], fail)]).driven == set(PHASES)
        assert tabled_outcome == stock_outcome
        assert tabled == stock
        assert tabled[0] == "outer operation: enter"


def test_a_phase_with_any_other_kind_of_hook_keeps_the_exit_stack() -> None:
    plan = HookTable().plan([cls() for cls in _recording([])])
    assert plan.driven == frozenset()  # each phase of these has an async or a plain-method hook
