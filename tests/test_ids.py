"""Ids: an unknown id is null without error, a malformed one is bad input."""

from __future__ import annotations

from conftest import GraphQLClient

UNKNOWN_INSTITUTION = "ins_000000000000000000000000"


async def test_an_unknown_institution_id_is_null_without_error(gql: GraphQLClient) -> None:
    body = await gql.execute("query($id: ID!) { institution(id: $id) { id name } }", {"id": UNKNOWN_INSTITUTION})
    assert body == {"data": {"institution": None}}


async def test_an_unknown_learner_id_is_null_without_error(gql: GraphQLClient) -> None:
    body = await gql.execute("query($id: ID!) { learner(id: $id) { id } }", {"id": "lrn_000000000000000000000001"})
    assert body == {"data": {"learner": None}}


async def test_a_malformed_id_is_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute("query($id: ID!) { institution(id: $id) { id } }", {"id": "ins_not-hex"})
    assert body["data"] == {"institution": None}
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_an_id_of_another_type_is_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute("query($id: ID!) { institution(id: $id) { id } }", {"id": "lrn_000000000000000000000001"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ins_" in body["errors"][0]["message"]


async def test_ids_round_trip_through_their_lookup(gql: GraphQLClient) -> None:
    listed = await gql.data("{ institutions(first: 3) { nodes { id name } } }")
    for node in listed["institutions"]["nodes"]:
        found = await gql.data("query($id: ID!) { institution(id: $id) { id name } }", {"id": node["id"]})
        assert found["institution"] == node
