"""Documents are parsed and validated once; limits and errors are what they were."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GraphQLClient
from graphql import parse, specified_rules

from edugraph import limits, prepared
from edugraph.config import Settings
from edugraph.prepared import PreparedDocuments
from edugraph.schema import build_schema

DEEP = "{ institutions { nodes { courses { nodes { institution { courses { nodes { id } } } } } } } }"
NESTED_PAGES = """query Pages($n: Int) {
  institutions(first: $n) { nodes { courses(first: $n) { nodes { resources(first: $n) { nodes { id } } } } } }
}"""


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the documents graphql-core validates."""
    calls: list[int] = []
    original = prepared.validate_document

    def counting(*args: Any) -> Any:
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(prepared, "validate_document", counting)
    return calls


async def test_a_document_sent_twice_is_validated_once(validations: list[int]) -> None:
    schema = build_schema(Settings())
    for _ in range(3):
        result = await schema.execute("{ __typename }")
        assert result.data == {"__typename": "Query"}
    assert len(validations) == 1


async def test_an_invalid_document_gets_the_same_errors_every_time(validations: list[int]) -> None:
    schema = build_schema(Settings(EDUGRAPH_MAX_DEPTH=4))
    first = await schema.execute(DEEP)
    second = await schema.execute(DEEP)
    assert first.errors is not None
    assert second.errors is not None
    assert [e.formatted for e in first.errors] == [e.formatted for e in second.errors]
    assert "exceeds maximum operation depth of 4" in first.errors[0].message
    assert len(validations) == 1


async def test_each_schema_keeps_its_own_documents_and_limits() -> None:
    introspect = "{ __schema { queryType { name } } }"
    development = await build_schema(Settings()).execute(introspect)
    production = await build_schema(Settings(EDUGRAPH_ENV="production")).execute(introspect)
    assert development.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert production.errors
    assert "introspection" in production.errors[0].message


async def test_the_cost_limit_still_reads_each_requests_variables(gql: GraphQLClient) -> None:
    cheap = await gql.execute(NESTED_PAGES, {"n": 0})
    costly = await gql.execute(NESTED_PAGES, {"n": 100})
    assert "errors" not in cheap
    assert costly["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert costly["errors"][0]["extensions"]["cost"] > costly["errors"][0]["extensions"]["maxCost"]


async def test_a_remembered_cost_is_remembered_per_page_size(gql: GraphQLClient) -> None:
    costly = await gql.execute(NESTED_PAGES, {"n": 100})
    cheap = await gql.execute(NESTED_PAGES, {"n": 0})
    costly_again = await gql.execute(NESTED_PAGES, {"n": 100})
    assert "errors" not in cheap
    assert costly["errors"][0]["extensions"]["cost"] == costly_again["errors"][0]["extensions"]["cost"]


def test_the_cost_of_a_document_is_its_own_not_that_of_an_equal_text() -> None:
    text = "query Q($n: Int) { institutions(first: $n) { nodes { id } } }"
    first, second = parse(text), parse(text)
    assert limits.document_cost(first, "Q", {"n": 7}) == limits.operation_cost(first.definitions, "Q", {"n": 7})
    assert limits.document_cost(second, "Q", {"n": 9}) == limits.operation_cost(second.definitions, "Q", {"n": 9})
    assert limits.document_cost(first, "Q", {"n": 9}) == limits.document_cost(second, "Q", {"n": 9})


def test_only_integer_variables_key_a_remembered_cost() -> None:
    text = "query Q($n: Int, $name: String) { institutions(first: $n, filter: {nameContains: $name}) { nodes { id } } }"
    document = parse(text)
    limits.document_cost(document, "Q", {"n": 3, "name": "大学"})
    keys = [key for key in limits._costs if key[0] == id(document)]
    assert keys == [(id(document), "Q", (("n", 3),))]


def test_the_cost_cache_forgets_the_least_recently_used_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "COST_CAPACITY", 2)
    monkeypatch.setattr(limits, "_costs", limits.OrderedDict())
    documents = [parse("{ a }"), parse("{ b }"), parse("{ c }")]
    for document in documents:
        limits.document_cost(document, None, {})
    assert [entry[0] for entry in limits._costs.values()] == documents[1:]


def test_the_cache_forgets_the_least_recently_used_document() -> None:
    documents = PreparedDocuments(specified_rules, max_tokens=None, capacity=2)
    for text in ("{ a }", "{ b }"):
        documents.remember(text, parse(text))
    assert documents.get("{ a }") is not None  # now the most recently used
    documents.remember("{ c }", parse("{ c }"))
    assert len(documents) == 2
    assert documents.get("{ b }") is None
    assert documents.get("{ a }") is not None


def test_very_long_documents_are_not_held() -> None:
    documents = PreparedDocuments(specified_rules, max_tokens=None)
    text = "{ " + "a " * prepared.MAX_CACHED_CHARACTERS + "}"
    assert documents.remember(text, parse(text)) is None
    assert len(documents) == 0


async def test_an_operation_over_the_cost_limit_is_refused_before_it_is_validated(validations: list[int]) -> None:
    result = await build_schema(Settings()).execute(NESTED_PAGES, {"n": 100})
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert result.errors[0].extensions["cost"] > result.errors[0].extensions["maxCost"]
    assert validations == []


def test_validation_errors_are_remembered_coded() -> None:
    documents = PreparedDocuments(specified_rules, max_tokens=None)
    [error] = documents.validate(build_schema()._schema, parse("{ institutionz }"))
    assert error.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "Did you mean" in error.message


def test_validation_errors_can_be_remembered_without_suggestions() -> None:
    documents = PreparedDocuments(specified_rules, max_tokens=None, hide_suggestions=True)
    [error] = documents.validate(build_schema()._schema, parse("{ institutionz }"))
    assert error.message == "Cannot query field 'institutionz' on type 'Query'."
    assert error.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
