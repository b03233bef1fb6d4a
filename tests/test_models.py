"""Model objects made from documents without their constructors are the objects the
constructors make (``edugraph.schema.models``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson import ObjectId

from edugraph.schema.alliance import Alliance, AllianceKind, AllianceStatus
from edugraph.schema.credit_bank import CentreKind, CertificationCentre
from edugraph.schema.models import members_by_value, nodes_of
from edugraph.schema.park import Course, CourseOrigin, CourseResource, Institution, InstitutionKind, ResourceKind

WHEN = datetime(2023, 5, 1, tzinfo=UTC)


def test_an_institution_from_its_document_equals_the_constructed_one() -> None:
    oid = ObjectId()
    doc = {"_id": oid, "name": "安徽开放大学", "kind": "OPEN_UNIVERSITY", "city": "合肥", "joined_at": WHEN}
    expected = Institution(
        _oid=oid,
        name="安徽开放大学",
        kind=InstitutionKind.OPEN_UNIVERSITY,
        city="合肥",
        province="安徽",
        joined_at=WHEN,
    )
    assert Institution.from_doc(doc) == expected


def test_a_course_from_a_projected_document_has_none_for_what_was_not_fetched() -> None:
    oid = ObjectId()
    course = Course.from_doc({"_id": oid, "title": "高等数学"})
    assert course == Course(
        _oid=oid, _institution_id=None, _teacher_id=None, title="高等数学", origin=None, launched_at=None
    )
    full = Course.from_doc({"_id": oid, "title": "高等数学", "origin": "SHARED", "teacher_id": "not an id"})
    assert (full.origin, full._teacher_id) == (CourseOrigin.SHARED, None)


def test_a_resource_an_alliance_and_a_centre_from_their_documents_equal_the_constructed_ones() -> None:
    oid, parent = ObjectId(), ObjectId()
    resource = {"_id": oid, "course_id": parent, "kind": "VIDEO", "title": "第3讲", "minutes": 45, "added_at": WHEN}
    assert CourseResource.from_doc(resource) == CourseResource(
        _oid=oid, _course_id=parent, kind=ResourceKind.VIDEO, title="第3讲", minutes=45, added_at=WHEN
    )
    alliance = {"_id": oid, "name": "皖赣联盟", "kind": AllianceKind.PUBLIC_ENGLISH.value, "provinces": ["安徽"]}
    assert Alliance.from_doc(alliance) == Alliance(
        _oid=oid,
        name="皖赣联盟",
        kind=AllianceKind.PUBLIC_ENGLISH,
        status=AllianceStatus.ACTIVE,
        provinces=["安徽"],
        founded_at=None,
        description=None,
    )
    centre = {"_id": oid, "host_institution_id": parent, "name": "中心", "kind": CentreKind.LOCAL.value}
    assert CertificationCentre.from_doc(centre) == CertificationCentre(
        _oid=oid, _host_institution_id=parent, name="中心", kind=CentreKind.LOCAL, city=None, established_at=None
    )


def test_the_enum_table_answers_what_the_enum_does() -> None:
    table = members_by_value(ResourceKind)
    assert all(table[member.value] is ResourceKind(member.value) for member in ResourceKind)


def test_a_stored_value_the_schema_does_not_know_is_refused() -> None:
    with pytest.raises(KeyError):
        Institution.from_doc({"_id": ObjectId(), "name": "x", "kind": "CASTLE", "city": "合肥", "joined_at": WHEN})


def test_from_docs_makes_what_from_doc_makes_for_each_document_in_order() -> None:
    docs = [{"_id": ObjectId(), "title": f"第{i}讲", "kind": "VIDEO"} for i in range(3)]
    assert CourseResource.from_docs(docs) == [CourseResource.from_doc(doc) for doc in docs]
    assert CourseResource.from_docs([]) == []


def test_nodes_of_a_model_constructor_is_its_from_docs() -> None:
    assert nodes_of(Institution.from_doc) == Institution.from_docs


def test_nodes_of_any_other_function_applies_it_to_each_document() -> None:
    assert nodes_of(lambda doc: doc["n"] * 2)([{"n": 1}, {"n": 2}]) == [2, 4]
