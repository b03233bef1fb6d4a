"""The compiled executor on a small schema of its own: what it runs, and what it hands back."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry

from edugraph.execution.executor import CompiledExecutor, ExecutionStats
from edugraph.execution.later import later


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        return ".".join(str(key) for key in info.path.as_list())

    @strawberry.field
    async def later_name(self) -> str:
        await asyncio.sleep(0)
        return self.name.upper()

    @strawberry.field
    def loaded(self) -> str:
        future = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_soon(future.set_result, self.name)
        return later(future, lambda name: f"loaded {name}")


@strawberry.type
class Query:
    @strawberry.field
    def items(self, count: int = 2) -> list[Item]:
        return [Item(name=f"item {i}") for i in range(count)]

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError("no")


def schemas() -> tuple[strawberry.Schema, strawberry.Schema, ExecutionStats]:
    compiled = strawberry.Schema(Query)
    executor = CompiledExecutor.for_schema(compiled)
    assert executor is not None
    compiled.execution_context_class = executor
    return compiled, strawberry.Schema(Query), executor.setup.stats


async def both(query: str, variables: dict[str, Any] | None = None) -> tuple[Any, ExecutionStats]:
    compiled, standard, stats = schemas()
    fast = await compiled.execute(query, variable_values=variables)
    slow = await standard.execute(query, variable_values=variables)
    assert (fast.data, [e.formatted for e in fast.errors or []]) == (
        slow.data,
        [e.formatted for e in slow.errors or []],
    )
    return fast, stats


async def test_coroutines_and_loader_answers_run_on_the_plan() -> None:
    result, stats = await both("query ($n: Int!) { items(count: $n) { name laterName loaded } }", {"n": 3})
    assert result.data["items"][2] == {"name": "item 2", "laterName": "ITEM 2", "loaded": "loaded item 2"}
    assert (stats.compiled, stats.abandoned) == (1, 0)


async def test_a_resolver_reading_its_path_gets_graphql_cores_answer() -> None:
    result, stats = await both("{ items { where } }")
    assert result.data == {"items": [{"where": "items.0.where"}, {"where": "items.1.where"}]}
    assert stats.abandoned == 1


async def test_an_error_gets_graphql_cores_answer() -> None:
    result, stats = await both("{ items(count: 1) { name } broken }")
    assert result.data == {"items": [{"name": "item 0"}], "broken": None}
    assert result.errors[0].message == "no"
    assert stats.abandoned == 1


async def test_introspection_runs_on_graphql_core() -> None:
    result, stats = await both("{ __schema { queryType { name } } }")
    assert result.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert (stats.standard, stats.compiled) == (1, 0)
