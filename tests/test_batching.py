"""Every relation is batched: a query's round trips do not grow with the page size.

The counts are of the driver's own commands (PyMongo command monitoring), so an N+1
anywhere in a nested query changes them and fails these tests.
"""

from __future__ import annotations

from typing import Any

from conftest import CommandCounter, GraphQLClient, contract
from helpers import busiest

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

# institutions find + count; courses, resources: one aggregation each; memberships,
# alliances by id, certification centres: one find each.
DIRECTORY_ROUND_TRIPS = 7
# institution by id; courses, resources, learners: one aggregation each; centres,
# memberships, alliances, majors: one find each; tutoring courses: one aggregation.
PROFILE_ROUND_TRIPS = 9
# learner; institution; submissions page; assignments; courses; institutions of those
# courses; credit account; outcomes page; centres; conversions; enrolments; majors;
# chief universities; bookings; sessions.
LEARNER_ROUND_TRIPS = 15


async def round_trips(gql: GraphQLClient, counter: CommandCounter, query: str, variables: dict[str, Any]) -> int:
    counter.reset()
    await gql.data(query, variables)
    return counter.count


async def test_directory_costs_the_same_round_trips_for_5_and_50_institutions(
    gql: GraphQLClient, command_counter: CommandCounter
) -> None:
    small = await round_trips(gql, command_counter, contract("InstitutionsDirectory"), {"first": 5})
    large = await round_trips(gql, command_counter, contract("InstitutionsDirectory"), {"first": 50})
    assert small == large == DIRECTORY_ROUND_TRIPS, command_counter.names


async def test_institution_profile_costs_a_fixed_number_of_round_trips(
    gql: GraphQLClient, command_counter: CommandCounter, db: Any
) -> None:
    major = await db[c.MAJORS].find_one({})
    oid = major["chief_institution_id"]
    count = await round_trips(
        gql, command_counter, contract("InstitutionProfile"), {"id": to_public_id(IdPrefix.INSTITUTION, oid)}
    )
    assert count == PROFILE_ROUND_TRIPS, command_counter.names


async def test_learner_profile_costs_a_fixed_number_of_round_trips(
    gql: GraphQLClient, command_counter: CommandCounter, db: Any
) -> None:
    oid = await busiest(db, c.SUBMISSIONS, "learner_id")
    count = await round_trips(
        gql, command_counter, contract("LearnerProfile"), {"id": to_public_id(IdPrefix.LEARNER, oid)}
    )
    assert count <= LEARNER_ROUND_TRIPS, command_counter.names
