"""Top-level lists filter by kind, city, name and year; input is data, never an operator."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GraphQLClient

from edugraph.store import collections as c


async def test_institutions_filter_by_kind(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data("{ institutions(first: 100, filter: {kind: OPEN_UNIVERSITY}) { totalCount nodes { kind } } }")
    assert data["institutions"]["totalCount"] == await db[c.INSTITUTIONS].count_documents({"kind": "OPEN_UNIVERSITY"})
    assert {n["kind"] for n in data["institutions"]["nodes"]} == {"OPEN_UNIVERSITY"}


async def test_institutions_filter_by_city(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data('{ institutions(first: 100, filter: {city: "芜湖"}) { totalCount nodes { city } } }')
    assert data["institutions"]["totalCount"] == await db[c.INSTITUTIONS].count_documents({"city": "芜湖"}) > 0
    assert {n["city"] for n in data["institutions"]["nodes"]} == {"芜湖"}


async def test_institutions_filter_by_a_name_fragment(gql: GraphQLClient) -> None:
    data = await gql.data('{ institutions(first: 100, filter: {nameContains: "师范"}) { nodes { name } } }')
    names = [n["name"] for n in data["institutions"]["nodes"]]
    assert "安徽师范大学" in names
    assert all("师范" in name for name in names)


async def test_a_name_search_takes_regex_characters_literally(gql: GraphQLClient) -> None:
    data = await gql.data('{ institutions(first: 10, filter: {nameContains: ".*"}) { totalCount } }')
    assert data["institutions"]["totalCount"] == 0


async def test_an_operator_in_a_string_argument_is_just_text(gql: GraphQLClient) -> None:
    data = await gql.data('{ institutions(first: 10, filter: {city: "{\\"$gt\\": \\"\\"}"}) { totalCount } }')
    assert data["institutions"]["totalCount"] == 0


async def test_courses_filter_by_launch_year(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data("{ courses(first: 100, filter: {launchedInYear: 2023}) { totalCount nodes { launchedAt } } }")
    assert data["courses"]["totalCount"] > 0
    assert all(n["launchedAt"].startswith("2023") for n in data["courses"]["nodes"])


async def test_exam_sessions_filter_by_year_and_season(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data("{ examSessions(year: 2022, season: AUTUMN) { year season } }")
    assert len(data["examSessions"]) == await db[c.EXAM_SESSIONS].count_documents({"year": 2022, "season": "AUTUMN"})
    assert {(s["year"], s["season"]) for s in data["examSessions"]} == {(2022, "AUTUMN")}


async def test_alliances_filter_by_province(gql: GraphQLClient) -> None:
    data = await gql.data('{ alliances(filter: {province: "江西"}) { nodes { provinces } } }')
    assert data["alliances"]["nodes"]
    assert all("江西" in a["provinces"] for a in data["alliances"]["nodes"])


async def test_certification_centres_filter_by_kind(gql: GraphQLClient) -> None:
    data = await gql.data("{ certificationCentres(filter: {kind: LOCAL}, first: 100) { totalCount } }")
    assert data["certificationCentres"]["totalCount"] == 17


INJECTIONS = ['{"$gt": ""}', "$where", "this.name == 1", ".*", "'; db.dropDatabase(); '", "\\u0000"]
STRING_FILTERS = [
    ("institutions", "city"),
    ("institutions", "nameContains"),
    ("courses", "titleContains"),
    ("learners", "nameContains"),
    ("certificationCentres", "city"),
    ("alliances", "province"),
    ("majors", "nameContains"),
]


@pytest.mark.parametrize(("field", "argument"), STRING_FILTERS)
@pytest.mark.parametrize("value", INJECTIONS)
async def test_every_string_filter_takes_operator_text_as_data(
    gql: GraphQLClient, field: str, argument: str, value: str
) -> None:
    query = f"query($v: String) {{ {field}(first: 5, filter: {{{argument}: $v}}) {{ totalCount }} }}"
    data = await gql.data(query, {"v": value})
    assert data[field]["totalCount"] == 0
