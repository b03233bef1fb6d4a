"""The federation v2 subgraph: entities by key, batched and under the same access rules."""

from __future__ import annotations

from typing import Any

from conftest import CommandCounter, GraphQLClient

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

ENTITIES = """query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Institution { id name }
    ... on Learner { id name }
    ... on Alliance { id name }
  }
}"""


async def ids(db: Any, collection: str, prefix: IdPrefix, n: int) -> list[str]:
    docs = await db[collection].find({}, {"_id": 1}, sort=[("_id", 1)], limit=n).to_list()
    return [to_public_id(prefix, d["_id"]) for d in docs]


async def test_the_service_sdl_is_a_federation_2_9_subgraph(gql: GraphQLClient) -> None:
    sdl = (await gql.data("{ _service { sdl } }"))["_service"]["sdl"]
    assert "https://specs.apollo.dev/federation/v2.9" in sdl
    for entity in ("Institution", "Learner", "Course", "Alliance", "ExamSession", "CertificationCentre", "Major"):
        assert f'type {entity} @key(fields: "id")' in sdl


async def test_entities_resolve_by_key_in_order(gql: GraphQLClient, db: Any) -> None:
    institutions = await ids(db, c.INSTITUTIONS, IdPrefix.INSTITUTION, 3)
    alliances = await ids(db, c.ALLIANCES, IdPrefix.ALLIANCE, 1)
    representations = [{"__typename": "Institution", "id": i} for i in institutions]
    representations.insert(1, {"__typename": "Alliance", "id": alliances[0]})
    data = await gql.data(ENTITIES, {"representations": representations})
    assert [e["id"] for e in data["_entities"]] == [r["id"] for r in representations]


async def test_any_number_of_representations_of_one_type_cost_one_round_trip(
    gql: GraphQLClient, db: Any, command_counter: CommandCounter
) -> None:
    for n in (2, 40):
        institutions = await ids(db, c.INSTITUTIONS, IdPrefix.INSTITUTION, n)
        command_counter.reset()
        data = await gql.data(
            ENTITIES, {"representations": [{"__typename": "Institution", "id": i} for i in institutions]}
        )
        assert len(data["_entities"]) == n
        assert command_counter.names == ["find"], command_counter.names


async def test_an_unknown_key_is_null(gql: GraphQLClient) -> None:
    body = await gql.execute(
        ENTITIES, {"representations": [{"__typename": "Institution", "id": "ins_000000000000000000000000"}]}
    )
    assert body["data"] == {"_entities": [None]}


async def test_a_malformed_key_is_bad_user_input(gql: GraphQLClient) -> None:
    body = await gql.execute(ENTITIES, {"representations": [{"__typename": "Institution", "id": "nope"}]})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_entities_obey_the_access_rules(gql: GraphQLClient, db: Any) -> None:
    learners = await ids(db, c.LEARNERS, IdPrefix.LEARNER, 2)
    body = await gql.as_(None).execute(
        ENTITIES, {"representations": [{"__typename": "Learner", "id": i} for i in learners]}
    )
    assert body["data"] == {"_entities": [None, None]}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}
