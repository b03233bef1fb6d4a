"""The compiled executor on a small schema of its own: what it runs, and what it hands back."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from enum import Enum
from operator import getitem
from typing import Any, NewType

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig

from edugraph.execution.batched import Hop, batched
from edugraph.execution.executor import CompiledExecutor, ExecutionStats
from edugraph.execution.inline import INLINE, PrefixedString
from edugraph.execution.later import later
from edugraph.loaders.batch import Answer, Loader
from edugraph.schema.relations import Prepared, Relation


@strawberry.enum
class Size(Enum):
    SMALL = "s"
    LARGE = "l"


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
    def parent_name(self, parent: strawberry.Parent[Item]) -> str:
        return f"{parent.name} (parent)"

    @strawberry.field
    def weight(self, factor: int = 1) -> int:
        return len(self.name) * factor

    @strawberry.field
    def size(self) -> Size:
        return Size.LARGE if self.name.endswith("1") else Size.SMALL

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


def schemas(
    query_type: type = Query, extensions: Sequence[type[SchemaExtension]] = (), **config: Any
) -> tuple[strawberry.Schema, strawberry.Schema, ExecutionStats]:
    compiled = strawberry.Schema(query_type, config=StrawberryConfig(**config), extensions=list(extensions))
    executor = CompiledExecutor.for_schema(compiled)
    assert executor is not None
    compiled.execution_context_class = executor
    return compiled, strawberry.Schema(query_type, config=StrawberryConfig(**config)), executor.setup.stats


async def both(
    query: str, variables: dict[str, Any] | None = None, *, query_type: type = Query, **config: Any
) -> tuple[Any, ExecutionStats]:
    compiled, standard, stats = schemas(query_type, **config)
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


async def test_resolvers_taking_their_parent_arguments_or_nothing_run_on_the_plan() -> None:
    result, stats = await both("{ items { parentName weight heavy: weight(factor: 3) size __typename } }")
    assert result.data["items"][1] == {
        "parentName": "item 1 (parent)",
        "weight": 6,
        "heavy": 18,
        "size": "LARGE",
        "__typename": "Item",
    }
    assert (stats.compiled, stats.abandoned) == (1, 0)


async def test_an_int_beyond_32_bits_gets_graphql_cores_error() -> None:
    result, stats = await both("{ items { weight(factor: 1000000000) } }")
    assert result.data is None
    assert "Int cannot represent non 32-bit signed integer value" in result.errors[0].message
    assert stats.abandoned == 1


@strawberry.type
class Row:
    label: str
    count: int


@strawberry.type
class Table:
    @strawberry.field
    def rows(self) -> list[Row]:
        return [{"label": "a", "count": 1}, {"label": "b", "count": 2}]


async def test_a_custom_default_resolver_reads_the_plain_fields() -> None:
    result, stats = await both("{ rows { label count } }", query_type=Table, default_resolver=getitem)
    assert result.data == {"rows": [{"label": "a", "count": 1}, {"label": "b", "count": 2}]}
    assert (stats.compiled, stats.abandoned) == (1, 0)


calls: list[str] = []


def _counted_id(self: Any) -> strawberry.ID:
    calls.append(self._oid)
    return strawberry.ID(f"doc_{self._oid}")


setattr(_counted_id, INLINE, PrefixedString(attribute="_oid", prefix="doc_"))


@strawberry.type
class Document:
    _oid: strawberry.Private[str]
    id = strawberry.field(resolver=_counted_id)


@strawberry.type
class Documents:
    @strawberry.field
    def documents(self) -> list[Document]:
        return [Document(_oid="a1"), Document(_oid="b2")]


async def test_an_id_marked_as_prefixed_string_is_written_out_without_calling_its_resolver() -> None:
    calls.clear()
    result, stats = await both("{ documents { id } }", query_type=Documents)
    assert result.data == {"documents": [{"id": "doc_a1"}, {"id": "doc_b2"}]}
    assert stats.compiled == 1
    assert calls == ["a1", "b2"]  # the standard executor's calls only


prepared: list[str] = []
batches: list[list[int]] = []


@strawberry.type
class Book:
    title: str


async def _titles_by_shelf(keys: list[int]) -> list[list[str]]:
    batches.append(list(keys))
    return [[f"book {key}.{i}" for i in range(2)] for key in keys]


def _books_of(titles: list[str] | None) -> list[Book] | None:
    return None if titles is None else [Book(title=title) for title in titles]


def _prepare_books(kwargs: dict[str, Any]) -> Prepared:
    prepared.append(kwargs["info"].field_name)
    return kwargs["info"].context["titles"], _books_of


BOOKS: Relation[list[Book]] = Relation("_oid", _prepare_books)


author_batches: list[list[str]] = []


async def _authors_by_title(titles: list[str]) -> list[str]:
    author_batches.append(list(titles))
    return [f"author of {title}" for title in titles]


def _prepare_authors(kwargs: dict[str, Any]) -> Prepared:
    context = kwargs["info"].context

    def of(titles: list[str]) -> Hop[str, str, list[str]]:
        return Hop(context["authors"], titles, list)

    return context["titles"], of


AUTHORS: Relation[list[str]] = Relation("_oid", _prepare_authors)


@strawberry.type
class Shelf:
    _oid: strawberry.Private[int | None]

    @strawberry.field
    @batched(AUTHORS)
    def authors(self, info: strawberry.Info) -> list[str]:
        return AUTHORS.resolve(self, info=info)

    @strawberry.field
    @batched(BOOKS)
    def books(self, info: strawberry.Info) -> list[Book] | None:
        return BOOKS.resolve(self, info=info)


@strawberry.type
class Library:
    @strawberry.field
    def shelves(self) -> list[Shelf]:
        return [Shelf(_oid=0), Shelf(_oid=1), Shelf(_oid=None), Shelf(_oid=2)]

    @strawberry.field
    def filled_shelves(self) -> list[Shelf]:
        return [Shelf(_oid=0), Shelf(_oid=1)]


async def _run_library(schema: strawberry.Schema) -> tuple[Any, list[str], list[list[int]]]:
    prepared.clear()
    batches.clear()
    result = await schema.execute("{ shelves { books { title } } }", context_value={"titles": Loader(_titles_by_shelf)})
    assert result.errors is None
    return result.data, list(prepared), list(batches)


async def test_a_batched_relation_is_prepared_once_and_loaded_in_one_call_for_a_level() -> None:
    compiled, standard, stats = schemas(Library)
    fast, fast_prepared, fast_batches = await _run_library(compiled)
    slow, slow_prepared, slow_batches = await _run_library(standard)
    assert fast == slow
    assert fast["shelves"][1] == {"books": [{"title": "book 1.0"}, {"title": "book 1.1"}]}
    assert fast["shelves"][2] == {"books": None}  # a missing key: the transform of None
    assert (fast_prepared, fast_batches) == (["books"], [[0, 1, 2]])
    assert (len(slow_prepared), slow_batches) == (4, [[0, 1, 2]])
    assert (stats.compiled, stats.abandoned) == (1, 0)


async def _no_titles(keys: list[int]) -> list[list[str]]:
    raise LookupError("the shelf index is down")


async def test_a_failed_batched_relation_gets_graphql_cores_answer() -> None:
    compiled, standard, stats = schemas(Library)
    query = "{ shelves { books { title } } }"
    fast = await compiled.execute(query, context_value={"titles": Loader(_no_titles)})
    slow = await standard.execute(query, context_value={"titles": Loader(_no_titles)})
    assert fast.data == slow.data
    assert [e.formatted for e in fast.errors or []] == [e.formatted for e in slow.errors or []]
    assert fast.errors is not None
    assert fast.errors[0].message == "the shelf index is down"
    assert stats.abandoned == 1


class CountingLoader(Loader[str, str]):
    """Counts the keys loaded one by one (``load``), as a resolver per parent does."""

    singly = 0

    def load(self, key: str) -> Answer[str]:
        self.singly += 1
        return super().load(key)


async def test_a_relations_second_step_is_loaded_in_one_call_for_the_level() -> None:
    compiled, standard, stats = schemas(Library)
    query = "{ filledShelves { authors } }"
    answers = []
    for schema in (compiled, standard):
        author_batches.clear()
        authors = CountingLoader(_authors_by_title)
        result = await schema.execute(query, context_value={"titles": Loader(_titles_by_shelf), "authors": authors})
        assert result.errors is None
        answers.append((result.data, list(author_batches), authors.singly))
    (fast, fast_batches, fast_singly), (slow, slow_batches, slow_singly) = answers
    assert (fast, fast_batches) == (slow, slow_batches)
    assert fast["filledShelves"][1] == {"authors": ["author of book 1.0", "author of book 1.1"]}
    assert fast_batches == [["book 0.0", "book 0.1", "book 1.0", "book 1.1"]]
    assert (fast_singly, slow_singly) == (0, 4)
    assert (stats.compiled, stats.abandoned) == (1, 0)


LITERALS_PARSED: list[Any] = []


def _parse_counted(node: Any, variables: Any = None) -> int:
    LITERALS_PARSED.append(node.value)
    return int(node.value)


Counted = NewType("Counted", int)
Passthrough = NewType("Passthrough", object)
SCALARS = {
    Counted: strawberry.scalar(name="Counted", serialize=int, parse_value=int, parse_literal=_parse_counted),
    Passthrough: strawberry.scalar(name="Passthrough", serialize=repr, parse_value=lambda value: value),
}


@strawberry.input
class NameFilter:
    names: list[str]


@strawberry.type
class Arguments:
    @strawberry.field
    def scaled(self, by: Counted, times: int) -> int:
        return by * times

    @strawberry.field
    def label(self, tag: str | None = "default") -> str:
        return repr(tag)

    @strawberry.field
    def echo(self, value: Passthrough) -> str:
        return repr(value)

    @strawberry.field
    def named(self, where: NameFilter) -> str:
        where.names.append("changed by the resolver")
        return ",".join(where.names)


@strawberry.type
class ArgumentsQuery:
    @strawberry.field
    def arguments(self) -> Arguments:
        return Arguments()


async def test_plain_arguments_are_converted_once_per_set_of_variable_values() -> None:
    # The same document each time, as the service's document cache gives: the same plan.
    cached = (ParserCache, ValidationCache)
    compiled, _, stats = schemas(ArgumentsQuery, extensions=cached, scalar_map=SCALARS)
    query = "query ($t: Int!) { arguments { scaled(by: 5, times: $t) } }"
    LITERALS_PARSED.clear()
    answers, parsed = [], []
    for t in (2, 2, 3):
        answers.append((await compiled.execute(query, variable_values={"t": t})).data)
        parsed.append(len(LITERALS_PARSED))
    assert [a["arguments"]["scaled"] for a in answers] == [10, 10, 15]  # type: ignore[index]
    # Validated and converted; kept for t=2; converted again for t=3.
    assert parsed == [2, 2, 3]
    assert stats.compiled == 3


async def test_a_variable_left_out_is_not_taken_for_null() -> None:
    compiled, _, stats = schemas(ArgumentsQuery, extensions=(ParserCache, ValidationCache), scalar_map=SCALARS)
    query = "query ($tag: String) { arguments { label(tag: $tag) } }"
    answers = [(await compiled.execute(query, variable_values=v)).data for v in ({}, {"tag": None}, {})]
    assert [a["arguments"]["label"] for a in answers] == ["'default'", "None", "'default'"]  # type: ignore[index]
    assert stats.compiled == 3


async def test_an_input_object_argument_is_made_afresh_for_each_request() -> None:
    compiled, _, stats = schemas(ArgumentsQuery, extensions=(ParserCache, ValidationCache), scalar_map=SCALARS)
    query = '{ arguments { named(where: {names: ["a"]}) } }'
    answers = [(await compiled.execute(query)).data for _ in range(3)]
    assert answers == [{"arguments": {"named": "a,changed by the resolver"}}] * 3
    assert stats.compiled == 3


async def test_variable_values_that_are_equal_but_of_other_types_are_not_confused() -> None:
    compiled, _, stats = schemas(ArgumentsQuery, extensions=(ParserCache, ValidationCache), scalar_map=SCALARS)
    query = "query ($v: Passthrough!) { arguments { echo(value: $v) } }"
    answers = [(await compiled.execute(query, variable_values={"v": v})).data for v in (1, True, 1.0, 1)]
    assert [a["arguments"]["echo"] for a in answers] == ["1", "True", "1.0", "1"]  # type: ignore[index]
    assert stats.compiled == 4
