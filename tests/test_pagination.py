"""Connections: default and maximum page sizes, opaque stable cursors, clear errors."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from conftest import GraphQLClient
from helpers import busiest

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

INSTITUTION_IDS = """query($first: Int, $after: String) {
  institutions(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}"""


async def test_a_list_without_first_returns_20(gql: GraphQLClient) -> None:
    data = await gql.data("{ institutions { nodes { id } } }")
    assert len(data["institutions"]["nodes"]) == 20


async def test_first_100_is_allowed(gql: GraphQLClient) -> None:
    data = await gql.data(INSTITUTION_IDS, {"first": 100})
    assert len(data["institutions"]["edges"]) == 100


async def test_first_over_100_is_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute(INSTITUTION_IDS, {"first": 101})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert "100" in body["errors"][0]["message"]


async def test_negative_first_is_bad_user_input(gql: GraphQLClient) -> None:
    assert await gql.error_codes(INSTITUTION_IDS, {"first": -1}) == ["BAD_USER_INPUT"]


async def test_first_zero_gives_only_the_total(gql: GraphQLClient) -> None:
    data = await gql.data(INSTITUTION_IDS, {"first": 0})
    assert data["institutions"]["edges"] == []
    assert data["institutions"]["totalCount"] == 140


async def test_pages_follow_each_other_without_gaps_or_repeats(gql: GraphQLClient) -> None:
    everything = await gql.data(INSTITUTION_IDS, {"first": 100})
    first = await gql.data(INSTITUTION_IDS, {"first": 30})
    second = await gql.data(INSTITUTION_IDS, {"first": 30, "after": first["institutions"]["pageInfo"]["endCursor"]})
    ids = [e["node"]["id"] for e in first["institutions"]["edges"] + second["institutions"]["edges"]]
    assert ids == [e["node"]["id"] for e in everything["institutions"]["edges"][:60]]
    assert second["institutions"]["pageInfo"]["hasPreviousPage"] is True
    assert first["institutions"]["pageInfo"]["hasPreviousPage"] is False


async def test_the_last_page_says_there_is_no_next(gql: GraphQLClient) -> None:
    head = await gql.data(INSTITUTION_IDS, {"first": 100})
    tail = await gql.data(INSTITUTION_IDS, {"first": 100, "after": head["institutions"]["pageInfo"]["endCursor"]})
    assert len(tail["institutions"]["edges"]) == 40
    assert tail["institutions"]["pageInfo"]["hasNextPage"] is False


async def test_a_malformed_cursor_is_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute(INSTITUTION_IDS, {"first": 5, "after": "not-a-cursor!"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["data"] is None


async def test_a_cursor_of_another_ordering_is_refused(gql: GraphQLClient) -> None:
    by_name = await gql.data("{ institutions(first: 2, orderBy: NAME) { pageInfo { endCursor } } }")
    cursor = by_name["institutions"]["pageInfo"]["endCursor"]
    assert await gql.error_codes(INSTITUTION_IDS, {"first": 2, "after": cursor}) == ["BAD_USER_INPUT"]


async def test_ordering_by_name_pages_in_name_order(gql: GraphQLClient) -> None:
    query = """query($after: String) {
      institutions(first: 70, orderBy: NAME, after: $after) { pageInfo { endCursor } nodes { name } }
    }"""
    first = await gql.data(query)
    second = await gql.data(query, {"after": first["institutions"]["pageInfo"]["endCursor"]})
    names = [n["name"] for n in first["institutions"]["nodes"] + second["institutions"]["nodes"]]
    assert names == sorted(names)
    assert len(set(names)) == 140


async def test_nested_pages_continue_after_their_cursor_and_keep_the_total(gql: GraphQLClient, db: Any) -> None:
    oid = await busiest(db, c.COURSES, "institution_id")
    query = """query($id: ID!, $after: String) { institution(id: $id) {
        courses(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }"""
    variables = {"id": to_public_id(IdPrefix.INSTITUTION, oid)}
    first = (await gql.data(query, variables))["institution"]["courses"]
    second = (await gql.data(query, {**variables, "after": first["pageInfo"]["endCursor"]}))["institution"]["courses"]
    total = await db[c.COURSES].count_documents({"institution_id": oid})
    assert first["totalCount"] == second["totalCount"] == total
    assert total > 2
    assert not {n["id"] for n in first["nodes"]} & {n["id"] for n in second["nodes"]}
    all_ids = (await gql.data(query.replace("first: 2", "first: 100"), variables))["institution"]["courses"]["nodes"]
    assert [n["id"] for n in first["nodes"] + second["nodes"]] == [
        n["id"] for n in all_ids[: len(first["nodes"]) + len(second["nodes"])]
    ]


async def test_nested_first_over_100_is_bad_user_input(gql: GraphQLClient, db: Any) -> None:
    oid = await busiest(db, c.COURSES, "institution_id")
    query = "query($id: ID!) { institution(id: $id) { courses(first: 500) { totalCount } } }"
    assert await gql.error_codes(query, {"id": to_public_id(IdPrefix.INSTITUTION, oid)}) == ["BAD_USER_INPUT"]


async def test_courses_ordered_by_launch_date_page_in_date_order(gql: GraphQLClient) -> None:
    query = """query($after: String) {
      courses(first: 30, orderBy: LAUNCHED_AT, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id launchedAt }
      }
    }"""
    seen: list[dict[str, str]] = []
    after = None
    while True:
        page = (await gql.data(query, {"after": after}))["courses"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"]
    assert len({n["id"] for n in seen}) == len(seen)
    assert [n["launchedAt"] for n in seen] == sorted(n["launchedAt"] for n in seen)


async def test_learners_ordered_by_name_come_in_name_order(gql: GraphQLClient) -> None:
    data = await gql.data("{ learners(first: 50, orderBy: NAME) { nodes { name } } }")
    names = [n["name"] for n in data["learners"]["nodes"]]
    assert names == sorted(names)


def forged_cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


async def test_a_forged_cursor_cannot_carry_a_mongodb_operator(gql: GraphQLClient) -> None:
    cursor = forged_cursor(["institutions:name", [{"$gt": ""}], "000000000000000000000000"])
    query = "query($after: String) { institutions(first: 5, orderBy: NAME, after: $after) { totalCount } }"
    assert await gql.error_codes(query, {"after": cursor}) == ["BAD_USER_INPUT"]


async def test_a_cursor_with_the_wrong_number_of_sort_values_is_refused(gql: GraphQLClient) -> None:
    cursor = forged_cursor(["institutions:name", ["a", "b"], "000000000000000000000000"])
    query = "query($after: String) { institutions(first: 5, orderBy: NAME, after: $after) { totalCount } }"
    assert await gql.error_codes(query, {"after": cursor}) == ["BAD_USER_INPUT"]


async def test_a_nested_first_page_lists_nodes_in_id_order_whatever_order_they_were_stored_in(
    gql: GraphQLClient, db: Any
) -> None:
    oid = await busiest(db, c.COURSES, "institution_id")
    template = await db[c.COURSES].find_one({"institution_id": oid}, {"_id": 0})
    late, early = ObjectId(), ObjectId.from_datetime(datetime(2001, 1, 1, tzinfo=UTC))
    await db[c.COURSES].insert_many([{**template, "_id": late}, {**template, "_id": early}])
    try:
        query = "query($id: ID!) { institution(id: $id) { courses(first: 100) { nodes { id } } } }"
        data = await gql.data(query, {"id": to_public_id(IdPrefix.INSTITUTION, oid)})
        stored = await db[c.COURSES].find({"institution_id": oid}, {"_id": 1}, sort=[("_id", 1)]).to_list()
        assert [node["id"] for node in data["institution"]["courses"]["nodes"]] == [
            to_public_id(IdPrefix.COURSE, doc["_id"]) for doc in stored[:100]
        ]
        assert data["institution"]["courses"]["nodes"][0]["id"] == to_public_id(IdPrefix.COURSE, early)
    finally:
        await db[c.COURSES].delete_many({"_id": {"$in": [late, early]}})
