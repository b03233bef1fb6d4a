"""Who may see what: learner A never reads learner B, by any path; partners see their own."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import CommandCounter, GraphQLClient, contract, token_for

from edugraph.auth import Role
from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c


@pytest.fixture
async def two_learners(db: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two learners with credit accounts, of one institution where the data has such a pair."""
    accounts = await db[c.CREDIT_ACCOUNTS].find({}, sort=[("_id", 1)]).to_list()
    by_institution: dict[Any, list[dict[str, Any]]] = {}
    for account in accounts:
        learner = await db[c.LEARNERS].find_one({"_id": account["learner_id"]})
        by_institution.setdefault(learner["institution_id"], []).append({**learner, "account": account})
    groups = sorted(by_institution.values(), key=len, reverse=True)
    chosen = groups[0][:2] if len(groups[0]) >= 2 else [groups[0][0], groups[1][0]]
    return chosen[0], chosen[1]


def lid(learner: dict[str, Any]) -> str:
    return to_public_id(IdPrefix.LEARNER, learner["_id"])


def as_learner(gql: GraphQLClient, learner: dict[str, Any]) -> GraphQLClient:
    return gql.as_(token_for(Role.LEARNER, subject=lid(learner)))


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_a_learner_reads_their_own_profile(gql: GraphQLClient, two_learners: Any) -> None:
    a, _ = two_learners
    data = await as_learner(gql, a).data(contract("LearnerProfile"), {"id": lid(a)})
    assert data["learner"]["id"] == lid(a)
    assert data["learner"]["creditAccount"] is not None


async def test_learner_a_cannot_read_learner_b_by_id(gql: GraphQLClient, two_learners: Any) -> None:
    a, b = two_learners
    body = await as_learner(gql, a).execute(contract("LearnerProfile"), {"id": lid(b)})
    assert body["data"] == {"learner": None}
    assert codes(body) == ["FORBIDDEN"]
    assert b["name"] not in str(body)


async def test_learner_a_cannot_list_other_learners(gql: GraphQLClient, two_learners: Any) -> None:
    a, _ = two_learners
    data = await as_learner(gql, a).data("{ learners(first: 100) { totalCount nodes { id } } }")
    assert data["learners"]["totalCount"] == 1
    assert [n["id"] for n in data["learners"]["nodes"]] == [lid(a)]


async def test_learner_a_sees_only_themselves_among_their_institution_learners(
    gql: GraphQLClient, two_learners: Any
) -> None:
    a, b = two_learners
    query = "query($id: ID!) { institution(id: $id) { learners(first: 100) { totalCount nodes { id } } } }"
    institution = to_public_id(IdPrefix.INSTITUTION, a["institution_id"])
    data = await as_learner(gql, a).data(query, {"id": institution})
    ids = {n["id"] for n in data["institution"]["learners"]["nodes"]}
    assert lid(a) in ids or a["institution_id"] != b["institution_id"]
    assert lid(b) not in ids


async def test_learner_a_cannot_reach_b_s_account_or_outcomes(gql: GraphQLClient, two_learners: Any) -> None:
    a, b = two_learners
    client = as_learner(gql, a)
    account = await client.execute(
        "query($id: ID!) { creditAccount(id: $id) { id } }",
        {"id": to_public_id(IdPrefix.CREDIT_ACCOUNT, b["account"]["_id"])},
    )
    assert codes(account) == ["FORBIDDEN"]
    outcomes = await client.data("{ learningOutcomes(first: 100) { nodes { account { learner { id } } } } }")
    assert {n["account"]["learner"]["id"] for n in outcomes["learningOutcomes"]["nodes"]} <= {lid(a)}


async def test_exam_session_bookings_show_a_learner_only_their_own(gql: GraphQLClient, db: Any) -> None:
    booking = await db[c.EXAM_BOOKINGS].find_one({})
    session = to_public_id(IdPrefix.EXAM_SESSION, booking["session_id"])
    owner = await db[c.LEARNERS].find_one({"_id": booking["learner_id"]})
    query = "query($id: ID!) { examSession(id: $id) { bookings(first: 100) { nodes { learner { id } } } } }"
    data = await as_learner(gql, owner).data(query, {"id": session})
    assert {n["learner"]["id"] for n in data["examSession"]["bookings"]["nodes"]} == {lid(owner)}


async def test_anonymous_callers_are_asked_to_sign_in_for_personal_records(
    gql: GraphQLClient, two_learners: Any
) -> None:
    a, _ = two_learners
    body = await gql.as_(None).execute(contract("LearnerProfile"), {"id": lid(a)})
    assert body["data"] == {"learner": None}
    assert codes(body) == ["UNAUTHENTICATED"]


async def test_anonymous_institution_pages_never_fetch_learners(
    gql: GraphQLClient, command_counter: CommandCounter, db: Any
) -> None:
    major = await db[c.MAJORS].find_one({})
    command_counter.reset()
    data = await gql.as_(None).data(
        contract("InstitutionProfile"), {"id": to_public_id(IdPrefix.INSTITUTION, major["chief_institution_id"])}
    )
    assert data["institution"]["learners"] == {"totalCount": 0, "nodes": []}
    assert data["institution"]["courses"]["totalCount"] >= 0
    assert c.LEARNERS not in command_counter.collections


async def test_the_national_id_is_shown_only_to_its_holder_and_admins(
    gql: GraphQLClient, two_learners: Any, db: Any
) -> None:
    a, _ = two_learners
    await db[c.CREDIT_ACCOUNTS].update_one(
        {"_id": a["account"]["_id"]}, {"$set": {"national_id_masked": "3401**********1234"}}
    )
    try:
        query = "query($id: ID!) { creditAccount(id: $id) { nationalIdMasked } }"
        variables = {"id": to_public_id(IdPrefix.CREDIT_ACCOUNT, a["account"]["_id"])}
        holder = await as_learner(gql, a).data(query, variables)
        admin = await gql.data(query, variables)
        institution_admin = await gql.as_(
            token_for(Role.INSTITUTION_ADMIN, institution=to_public_id(IdPrefix.INSTITUTION, a["institution_id"]))
        ).data(query, variables)
        assert holder["creditAccount"]["nationalIdMasked"] == "3401**********1234"
        assert admin["creditAccount"]["nationalIdMasked"] == "3401**********1234"
        assert institution_admin["creditAccount"]["nationalIdMasked"] is None
    finally:
        await db[c.CREDIT_ACCOUNTS].update_one({"_id": a["account"]["_id"]}, {"$unset": {"national_id_masked": ""}})


async def test_a_partner_sees_only_its_own_province_s_candidates(gql: GraphQLClient, db: Any) -> None:
    booking = await db[c.EXAM_BOOKINGS].find_one({})
    session = to_public_id(IdPrefix.EXAM_SESSION, booking["session_id"])
    query = "query($id: ID!) { examSession(id: $id) { capacity bookings(first: 100) { totalCount } } }"
    jiangxi = await gql.as_(token_for(Role.PARTNER, subject="jiangxi", province="江西")).data(query, {"id": session})
    anhui = await gql.as_(token_for(Role.PARTNER, subject="anhui", province="安徽")).data(query, {"id": session})
    everyone = await db[c.EXAM_BOOKINGS].count_documents({"session_id": booking["session_id"]})
    assert jiangxi["examSession"]["bookings"]["totalCount"] == 0
    assert anhui["examSession"]["bookings"]["totalCount"] == everyone > 0
    alliances = await gql.as_(token_for(Role.PARTNER, province="江西")).data(
        contract("PartnerAlliance"), {"year": 2023}
    )
    assert alliances["alliances"]["totalCount"] > 0


async def test_an_institution_admin_sees_only_its_own_learners(gql: GraphQLClient, two_learners: Any, db: Any) -> None:
    a, _ = two_learners
    institution = to_public_id(IdPrefix.INSTITUTION, a["institution_id"])
    data = await gql.as_(token_for(Role.INSTITUTION_ADMIN, institution=institution)).data(
        "{ learners(first: 100) { totalCount } }"
    )
    assert data["learners"]["totalCount"] == await db[c.LEARNERS].count_documents(
        {"institution_id": a["institution_id"]}
    )


async def test_a_learner_cannot_book_for_another_learner(gql: GraphQLClient, two_learners: Any, db: Any) -> None:
    a, b = two_learners
    session = await db[c.EXAM_SESSIONS].find_one({})
    variables = {"sessionId": to_public_id(IdPrefix.EXAM_SESSION, session["_id"]), "learnerId": lid(b)}
    body = await as_learner(gql, a).execute(contract("BookDegreeLanguageExam"), variables)
    assert codes(body) == ["FORBIDDEN"]
    anonymous = await gql.as_(None).execute(contract("BookDegreeLanguageExam"), variables)
    assert codes(anonymous) == ["UNAUTHENTICATED"]
