"""GraphQL types of self-study-exam tutoring (自考助学): majors, courses, enrolments."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from bson import ObjectId

from edugraph.context import Info
from edugraph.execution.batched import batched
from edugraph.ids import IdPrefix
from edugraph.loaders import tutoring as loaders
from edugraph.loaders.base import Document
from edugraph.schema.arguments import After, First
from edugraph.schema.identity import public_id_field
from edugraph.schema.links import institution_at, learner_at
from edugraph.schema.pagination import Connection, paged
from edugraph.schema.relations import of_request, reference, to_many, to_one
from edugraph.store import collections as c

if TYPE_CHECKING:
    from edugraph.schema.park import Institution, Learner

_PARK = "edugraph.schema.park"


@strawberry.enum(description="The level of qualification a major leads to.")
class MajorLevel(Enum):
    ASSOCIATE = strawberry.enum_value("ASSOCIATE", description="Junior-college level (专科).")
    BACHELOR = strawberry.enum_value("BACHELOR", description="Undergraduate level (本科).")


CHIEF_UNIVERSITY = institution_at("_chief_institution_id")
MAJOR_TUTORING_COURSES = paged(
    "_oid",
    of_request(loaders.tutoring_courses_by_major_id),
    lambda: TutoringCourse.from_doc,
)
MAJOR_ENROLMENTS = paged(
    "_oid",
    of_request(loaders.enrolments_by_major_id),
    lambda: TutoringEnrolment.from_doc,
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "A self-study examination major (自考专业) with tutoring, examined by one chief "
        "examination university (主考院校)."
    ),
)
class Major:
    _oid: strawberry.Private[ObjectId]
    _chief_institution_id: strawberry.Private[ObjectId]
    code: str = strawberry.field(description="The official major code, e.g. B020106.")
    name: str = strawberry.field(description="Chinese name, e.g. 会计学.")
    level: MajorLevel = strawberry.field(description="Associate or bachelor level.")

    @classmethod
    def from_doc(cls, doc: Document) -> Major:
        return cls(
            _oid=doc["_id"],
            _chief_institution_id=doc["chief_institution_id"],
            code=doc["code"],
            name=doc["name"],
            level=MajorLevel(doc["level"]),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Major | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info, IdPrefix.MAJOR, c.MAJORS, loaders.major_by_id(info.context.loaders), id, cls.from_doc
        )

    id = public_id_field(IdPrefix.MAJOR)

    @strawberry.field(description="The chief examination university (主考院校) of the major.")
    @batched(CHIEF_UNIVERSITY)
    def chief_university(self, info: Info) -> Annotated[Institution, strawberry.lazy(_PARK)] | None:
        return CHIEF_UNIVERSITY.resolve(self, info=info)

    @strawberry.field(description="Tutoring courses (助学课程) of the major.")
    @batched(MAJOR_TUTORING_COURSES)
    def tutoring_courses(self, info: Info, first: First = None, after: After = None) -> Connection[TutoringCourse]:
        return MAJOR_TUTORING_COURSES.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Learners enrolled in the major (招生).")
    @batched(MAJOR_ENROLMENTS)
    def enrolments(self, info: Info, first: First = None, after: After = None) -> Connection[TutoringEnrolment]:
        return MAJOR_ENROLMENTS.resolve(self, info=info, first=first, after=after)


# The major a tutoring course belongs to, or an enrolment is in (``_major_id``).
ITS_MAJOR = to_one("_major_id", of_request(loaders.major_by_id), lambda: Major.from_doc)


@strawberry.federation.type(keys=["id"], description="A tutoring course (助学课程) of a self-study exam major.")
class TutoringCourse:
    _oid: strawberry.Private[ObjectId]
    _major_id: strawberry.Private[ObjectId]
    code: str = strawberry.field(description="The exam course code.")
    title: str = strawberry.field(description="Chinese title, e.g. 中国近现代史纲要.")
    credits: float = strawberry.field(description="Exam credits of the course.")

    @classmethod
    def from_doc(cls, doc: Document) -> TutoringCourse:
        return cls(
            _oid=doc["_id"],
            _major_id=doc["major_id"],
            code=doc["code"],
            title=doc["title"],
            credits=float(doc["credits"]),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> TutoringCourse | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info,
            IdPrefix.TUTORING_COURSE,
            c.TUTORING_COURSES,
            loaders.tutoring_course_by_id(info.context.loaders),
            id,
            cls.from_doc,
        )

    id = public_id_field(IdPrefix.TUTORING_COURSE)

    @strawberry.field(description="The major the course belongs to.")
    @batched(ITS_MAJOR)
    def major(self, info: Info) -> Major | None:
        return ITS_MAJOR.resolve(self, info=info)


ENROLLED_LEARNER = learner_at("_learner_id")
ENROLMENT_SELECTIONS = to_many(
    "_oid", of_request(loaders.selections_by_enrolment_id), lambda: TutoringCourseSelection.from_doc
)


@strawberry.type(description="A learner's enrolment in a tutoring major.")
class TutoringEnrolment:
    _oid: strawberry.Private[ObjectId]
    _learner_id: strawberry.Private[ObjectId]
    _major_id: strawberry.Private[ObjectId]
    enrolled_at: datetime = strawberry.field(description="When the learner enrolled.")

    @classmethod
    def from_doc(cls, doc: Document) -> TutoringEnrolment:
        return cls(
            _oid=doc["_id"], _learner_id=doc["learner_id"], _major_id=doc["major_id"], enrolled_at=doc["enrolled_at"]
        )

    id = public_id_field(IdPrefix.TUTORING_ENROLMENT)

    @strawberry.field(description="The major enrolled in.")
    @batched(ITS_MAJOR)
    def major(self, info: Info) -> Major | None:
        return ITS_MAJOR.resolve(self, info=info)

    @strawberry.field(description="The learner enrolled.")
    @batched(ENROLLED_LEARNER)
    def learner(self, info: Info) -> Annotated[Learner, strawberry.lazy(_PARK)] | None:
        return ENROLLED_LEARNER.resolve(self, info=info)

    @strawberry.field(description="Tutoring courses the learner selected (选学) under this enrolment.")
    @batched(ENROLMENT_SELECTIONS)
    def course_selections(self, info: Info) -> list[TutoringCourseSelection]:
        return ENROLMENT_SELECTIONS.resolve(self, info=info)


SELECTED_COURSE = to_one("_course_id", of_request(loaders.tutoring_course_by_id), lambda: TutoringCourse.from_doc)


@strawberry.type(description="A learner's selection of a tutoring course (选学).")
class TutoringCourseSelection:
    _oid: strawberry.Private[ObjectId]
    _course_id: strawberry.Private[ObjectId]
    selected_at: datetime = strawberry.field(description="When the course was selected.")

    @classmethod
    def from_doc(cls, doc: Document) -> TutoringCourseSelection:
        return cls(_oid=doc["_id"], _course_id=doc["tutoring_course_id"], selected_at=doc["selected_at"])

    id = public_id_field(IdPrefix.TUTORING_COURSE_SELECTION)

    @strawberry.field(description="The course selected.")
    @batched(SELECTED_COURSE)
    def course(self, info: Info) -> TutoringCourse | None:
        return SELECTED_COURSE.resolve(self, info=info)
