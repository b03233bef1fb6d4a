"""A top-level list's ``totalCount``: one ``count`` command, exact, never from metadata."""

from __future__ import annotations

from typing import Any

from conftest import CommandCounter, GraphQLClient

from edugraph.store import collections as c
from edugraph.store.counting import MATCH_ALL, count_matching


async def test_an_unfiltered_total_is_counted_with_a_predicate(
    gql: GraphQLClient, command_counter: CommandCounter
) -> None:
    command_counter.reset()
    data = await gql.data("{ learners(first: 0) { totalCount } }")
    assert command_counter.names == ["count"]
    assert command_counter.commands[0]["query"] == MATCH_ALL
    assert data["learners"]["totalCount"] > 0


async def test_a_filtered_total_is_counted_with_the_filter(gql: GraphQLClient, command_counter: CommandCounter) -> None:
    command_counter.reset()
    await gql.data('{ institutions(first: 0, filter: { city: "芜湖" }) { totalCount } }')
    assert command_counter.names == ["count"]
    assert command_counter.commands[0]["query"] == {"city": "芜湖"}


async def test_a_page_without_its_total_sends_no_count(gql: GraphQLClient, command_counter: CommandCounter) -> None:
    command_counter.reset()
    await gql.data("{ learners(first: 5) { nodes { id } } }")
    assert command_counter.names == ["find"]


async def test_an_empty_filter_counts_every_document(db: Any) -> None:
    assert await count_matching(db, c.LEARNERS, {}) == await db[c.LEARNERS].count_documents({})


async def test_an_indexed_equality_counts_what_an_aggregation_counts(db: Any) -> None:
    learner = await db[c.LEARNERS].find_one({})
    where = {"institution_id": learner["institution_id"]}
    assert await count_matching(db, c.LEARNERS, where) == await db[c.LEARNERS].count_documents(where) > 0


async def test_an_unindexed_filter_counts_what_an_aggregation_counts(db: Any) -> None:
    where = {"$or": [{"city": "芜湖"}, {"name": {"$regex": "^张"}}]}
    assert await count_matching(db, c.LEARNERS, where) == await db[c.LEARNERS].count_documents(where) > 0


async def test_a_filter_matching_nothing_counts_zero(db: Any) -> None:
    assert await count_matching(db, c.LEARNERS, {"city": "no such city"}) == 0
