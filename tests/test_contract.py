"""The operations in ../shared/contract/ run as written and answer from the data."""

from __future__ import annotations

from typing import Any

from conftest import GraphQLClient, contract
from helpers import busiest

from edugraph.ids import IdPrefix, parse_id, to_public_id
from edugraph.store import collections as c


async def test_institution_profile_shows_one_institution_across_four_domains(gql: GraphQLClient, db: Any) -> None:
    host = await db[c.CERTIFICATION_CENTRES].find_one({"kind": "UNIVERSITY"})
    chief = await db[c.MAJORS].find_one({})
    assert chief["chief_institution_id"] is not None
    oid = chief["chief_institution_id"]
    data = await gql.data(contract("InstitutionProfile"), {"id": to_public_id(IdPrefix.INSTITUTION, oid)})
    institution = data["institution"]
    doc = await db[c.INSTITUTIONS].find_one({"_id": oid})
    assert institution["name"] == doc["name"]
    assert institution["courses"]["totalCount"] == await db[c.COURSES].count_documents({"institution_id": oid})
    assert institution["learners"]["totalCount"] == await db[c.LEARNERS].count_documents({"institution_id": oid})
    majors = {m["name"] for m in institution["chiefExamMajors"]}
    assert chief["name"] in majors
    for major in institution["chiefExamMajors"]:
        assert major["tutoringCourses"]["totalCount"] == await db[c.TUTORING_COURSES].count_documents(
            {"major_id": parse_id(IdPrefix.MAJOR, major["id"])}
        )
    hosted = await db[c.CERTIFICATION_CENTRES].count_documents({"host_institution_id": oid})
    assert len(institution["certificationCentres"]) == hosted
    assert host is not None


async def test_institution_profile_lists_courses_with_their_resources(gql: GraphQLClient, db: Any) -> None:
    oid = await busiest(db, c.COURSES, "institution_id")
    data = await gql.data(contract("InstitutionProfile"), {"id": to_public_id(IdPrefix.INSTITUTION, oid)})
    courses = data["institution"]["courses"]
    assert len(courses["edges"]) == min(5, courses["totalCount"])
    assert courses["pageInfo"]["hasNextPage"] == (courses["totalCount"] > 5)
    assert courses["pageInfo"]["endCursor"] == courses["edges"][-1]["cursor"]
    for edge in courses["edges"]:
        course_oid = parse_id(IdPrefix.COURSE, edge["node"]["id"])
        resources = edge["node"]["resources"]
        expected = await db[c.COURSE_RESOURCES].count_documents({"course_id": course_oid})
        assert resources["totalCount"] == expected
        assert len(resources["nodes"]) == min(3, expected)


async def test_institutions_directory_pages_through_all_140_institutions(gql: GraphQLClient) -> None:
    seen: list[str] = []
    after = None
    while True:
        data = await gql.data(contract("InstitutionsDirectory"), {"first": 50, "after": after})
        page = data["institutions"]
        assert page["totalCount"] == 140
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 140
    assert len(set(seen)) == 140


async def test_institutions_directory_nests_courses_alliances_and_centres(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data(contract("InstitutionsDirectory"), {"first": 50})
    for node in data["institutions"]["nodes"]:
        oid = parse_id(IdPrefix.INSTITUTION, node["id"])
        assert node["courses"]["totalCount"] == await db[c.COURSES].count_documents({"institution_id": oid})
        assert len(node["courses"]["nodes"]) == min(10, node["courses"]["totalCount"])
        memberships = await db[c.ALLIANCE_MEMBERSHIPS].count_documents({"institution_id": oid})
        assert len(node["alliances"]) == memberships


async def test_learner_profile_gathers_study_credit_tutoring_and_exams(gql: GraphQLClient, db: Any) -> None:
    # A learner with a credit account, outcomes, an enrolment and a booking, if the data has one.
    enrolled = {doc["learner_id"] async for doc in db[c.TUTORING_ENROLMENTS].find({}, {"learner_id": 1})}
    account = await db[c.CREDIT_ACCOUNTS].find_one({"learner_id": {"$in": list(enrolled)}}) or await db[
        c.CREDIT_ACCOUNTS
    ].find_one({})
    oid = account["learner_id"]
    data = await gql.data(contract("LearnerProfile"), {"id": to_public_id(IdPrefix.LEARNER, oid)})
    learner = data["learner"]
    doc = await db[c.LEARNERS].find_one({"_id": oid})
    assert learner["name"] == doc["name"]
    assert learner["institution"]["id"] == to_public_id(IdPrefix.INSTITUTION, doc["institution_id"])
    assert learner["submissions"]["totalCount"] == await db[c.SUBMISSIONS].count_documents({"learner_id": oid})
    outcomes = learner["creditAccount"]["learningOutcomes"]
    assert outcomes["totalCount"] == await db[c.LEARNING_OUTCOMES].count_documents({"account_id": account["_id"]})
    for node in outcomes["nodes"]:
        assert (node["recognisedBy"] is None) == (node["status"] == "DEPOSITED")
        assert len(node["conversions"]) == (1 if node["status"] == "CONVERTED" else 0)
    assert len(learner["tutoringEnrolments"]) == await db[c.TUTORING_ENROLMENTS].count_documents({"learner_id": oid})
    assert len(learner["examBookings"]) == await db[c.EXAM_BOOKINGS].count_documents({"learner_id": oid})


async def test_learner_profile_follows_submissions_to_the_course_institution(gql: GraphQLClient, db: Any) -> None:
    oid = await busiest(db, c.SUBMISSIONS, "learner_id")
    data = await gql.data(contract("LearnerProfile"), {"id": to_public_id(IdPrefix.LEARNER, oid)})
    submissions = data["learner"]["submissions"]
    assert submissions["totalCount"] >= 1
    for node in submissions["nodes"]:
        course = node["assignment"]["course"]
        assert course["institution"]["name"]
        assert course["title"]


async def test_partner_alliance_lists_alliances_members_and_sessions(gql: GraphQLClient, db: Any) -> None:
    data = await gql.data(contract("PartnerAlliance"), {"year": 2023})
    alliances = {a["kind"]: a for a in data["alliances"]["nodes"]}
    assert data["alliances"]["totalCount"] == await db[c.ALLIANCES].count_documents({})
    assert alliances["PUBLIC_ENGLISH"]["members"]["totalCount"] == 45
    assert alliances["COOPERATION"]["members"]["totalCount"] == 64
    assert len(alliances["COOPERATION"]["members"]["nodes"]) == 64
    assert len(alliances["COOPERATION"]["committees"]) == 3
    assert set(alliances["CROSS_PROVINCE"]["provinces"]) == {"安徽", "江西"}
    sessions = data["examSessions"]
    assert len(sessions) == await db[c.EXAM_SESSIONS].count_documents({"year": 2023})
    assert all(s["year"] == 2023 and 0 <= s["booked"] <= s["capacity"] for s in sessions)


async def test_yearly_statistics_answers_every_figure(gql: GraphQLClient) -> None:
    data = await gql.data(contract("YearlyStatistics"), {"year": 2023})
    stats = data["statistics"]
    assert stats["year"] == 2023
    for domain in ("park", "creditBank", "alliance", "tutoring"):
        for name, figure in stats[domain].items():
            if name == "certificationCentresByKind":
                continue
            assert figure["value"] >= 0, name
            assert figure["previousValue"] is not None, name
