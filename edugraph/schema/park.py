"""GraphQL types of the park (网络园区): institutions, courses, resources, learners, work."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from bson import ObjectId

from edugraph.context import Info
from edugraph.execution.batched import Hop, batched
from edugraph.ids import IdPrefix
from edugraph.loaders import alliance as alliance_loaders
from edugraph.loaders import credit_bank as credit_loaders
from edugraph.loaders import park as loaders
from edugraph.loaders import tutoring as tutoring_loaders
from edugraph.loaders.base import Document
from edugraph.loaders.batch import Loader
from edugraph.schema.arguments import After, First
from edugraph.schema.identity import public_id_field
from edugraph.schema.links import institution_at, learner_at
from edugraph.schema.models import blank, members_by_value
from edugraph.schema.pagination import Connection, paged
from edugraph.schema.projection import DocumentFields, item_fields, node_fields
from edugraph.schema.relations import Prepared, Relation, node_of, of_request, reference, to_many, to_one
from edugraph.store import collections as c

if TYPE_CHECKING:
    from edugraph.schema.alliance import Alliance, DegreeCoursePurchase, ExamBooking, ExamSession
    from edugraph.schema.credit_bank import CertificationCentre, CreditAccount
    from edugraph.schema.tutoring import Major, TutoringEnrolment

_ALLIANCE = "edugraph.schema.alliance"
_CREDIT = "edugraph.schema.credit_bank"
_TUTORING = "edugraph.schema.tutoring"


@strawberry.enum(description="What sort of organisation an institution is.")
class InstitutionKind(Enum):
    UNIVERSITY = strawberry.enum_value("UNIVERSITY", description="A university or undergraduate college (本科高校).")
    VOCATIONAL_COLLEGE = strawberry.enum_value(
        "VOCATIONAL_COLLEGE", description="A higher vocational college (高职院校)."
    )
    OPEN_UNIVERSITY = strawberry.enum_value(
        "OPEN_UNIVERSITY", description="An open university or one of its city branches (开放大学)."
    )
    TRAINING_ORGANISATION = strawberry.enum_value(
        "TRAINING_ORGANISATION", description="A training or education organisation (教育培训机构)."
    )


@strawberry.enum(description="How a course came to the park.")
class CourseOrigin(Enum):
    SELF_BUILT = strawberry.enum_value("SELF_BUILT", description="Built by its institution alone (自建).")
    CO_BUILT = strawberry.enum_value("CO_BUILT", description="Built jointly with other institutions (共建).")
    SHARED = strawberry.enum_value("SHARED", description="Shared into the park by another platform (共享).")


@strawberry.enum(description="The form of a course resource.")
class ResourceKind(Enum):
    VIDEO = strawberry.enum_value("VIDEO", description="A video lecture (视频资源).")
    DOCUMENT = strawberry.enum_value("DOCUMENT", description="Slides, notes or a reading.")
    EXERCISE = strawberry.enum_value("EXERCISE", description="A practice exercise or quiz.")
    LIVE_REPLAY = strawberry.enum_value("LIVE_REPLAY", description="The recording of a live class.")


_INSTITUTION_KINDS = members_by_value(InstitutionKind)
_COURSE_ORIGINS = members_by_value(CourseOrigin)
_RESOURCE_KINDS = members_by_value(ResourceKind)


def _oid(value: object) -> ObjectId | None:
    return value if isinstance(value, ObjectId) else None


# The relations a page of the directory resolves for every institution and course, as
# ``Relation``s: the compiled executor resolves each for a whole level at once.
INSTITUTION_COURSES = paged(
    "_oid",
    lambda info, page: loaders.courses_by_institution_id(info.context.loaders, page, node_fields(info, COURSE_FIELDS)),
    lambda: Course.from_doc,
)
COURSE_RESOURCES = paged(
    "_oid",
    lambda info, page: loaders.resources_by_course_id(info.context.loaders, page, node_fields(info, RESOURCE_FIELDS)),
    lambda: CourseResource.from_doc,
)


def _hosted_centres(info: Info) -> Loader[ObjectId, list[Document]]:
    from edugraph.schema.credit_bank import CENTRE_FIELDS

    return credit_loaders.certification_centres_by_host_institution_id(
        info.context.loaders, item_fields(info, CENTRE_FIELDS)
    )


def _centre() -> Callable[[Document], CertificationCentre]:
    from edugraph.schema.credit_bank import CertificationCentre

    return CertificationCentre.from_doc


HOSTED_CENTRES = to_many("_oid", _hosted_centres, _centre)


def _alliances_of(kwargs: dict[str, Any]) -> Prepared:
    """An institution's memberships, then their alliances: two loads, each made once for
    all the institutions of a level."""
    from edugraph.schema.alliance import Alliance

    info: Info = kwargs["info"]
    by_id = alliance_loaders.alliance_by_id(info.context.loaders)

    def alliances(docs: list[Document | None]) -> list[Alliance]:
        return Alliance.from_docs([doc for doc in docs if doc is not None])

    def of(memberships: list[Document]) -> Hop[ObjectId, Document | None, list[Alliance]]:
        return Hop(by_id, [m["alliance_id"] for m in memberships], alliances)

    return alliance_loaders.memberships_by_institution_id(info.context.loaders), of


MEMBER_OF: Relation[list[Alliance]] = Relation("_oid", _alliances_of)

# The other relations of the park's types: the compiled executor resolves them a level
# at a time too, wherever a query reaches them.
INSTITUTION_LEARNERS = paged("_oid", of_request(loaders.learners_by_institution_id), lambda: Learner.from_doc)
INSTITUTION_TEACHERS = paged("_oid", of_request(loaders.teachers_by_institution_id), lambda: Teacher.from_doc)
CHIEF_EXAM_MAJORS: Relation[list[Major]] = to_many(
    "_oid", of_request(tutoring_loaders.majors_by_chief_institution_id), node_of(_TUTORING, "Major")
)
HOSTED_EXAM_SESSIONS: Relation[list[ExamSession]] = to_many(
    "_oid",
    of_request(alliance_loaders.exam_sessions_by_host_institution_id),
    node_of(_ALLIANCE, "ExamSession"),
    matching="year",
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "A university, college, open university or training organisation in the park "
        "(入驻高校及教育机构). The hub of the graph: from here reach its courses and learners, "
        "the certification centres it hosts, its alliances and the exam majors it is chief "
        "examiner for."
    ),
)
class Institution:
    _oid: strawberry.Private[ObjectId]
    name: str = strawberry.field(description="Official Chinese name, e.g. 安徽开放大学.")
    kind: InstitutionKind = strawberry.field(description="What sort of organisation this is.")
    city: str = strawberry.field(description="The Anhui city it is based in, e.g. 合肥.")
    province: str = strawberry.field(description="The province it belongs to, e.g. 安徽.")
    joined_at: datetime = strawberry.field(description="When it joined the park.")

    @classmethod
    def from_doc(cls, doc: Document) -> Institution:
        return cls.from_docs((doc,))[0]

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> list[Institution]:
        """``from_doc`` of each document, without a call per document (see ``models``)."""
        made: list[Institution] = []
        for doc in docs:
            node = blank(cls)
            node.__dict__ = {
                "_oid": doc["_id"],
                "name": doc["name"],
                "kind": _INSTITUTION_KINDS[doc["kind"]],
                "city": doc["city"],
                "province": doc.get("province", "安徽"),
                "joined_at": doc["joined_at"],
            }
            made.append(node)
        return made

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Institution | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info,
            IdPrefix.INSTITUTION,
            c.INSTITUTIONS,
            loaders.institution_by_id(info.context.loaders),
            id,
            cls.from_doc,
        )

    id = public_id_field(IdPrefix.INSTITUTION)

    @strawberry.field(description="Courses this institution offers in the park, oldest first.")
    @batched(INSTITUTION_COURSES)
    def courses(self, info: Info, first: First = None, after: After = None) -> Connection[Course]:
        return INSTITUTION_COURSES.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Learners registered through this institution, earliest first.")
    @batched(INSTITUTION_LEARNERS)
    def learners(self, info: Info, first: First = None, after: After = None) -> Connection[Learner]:
        return INSTITUTION_LEARNERS.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Teachers of this institution who teach in the park.")
    @batched(INSTITUTION_TEACHERS)
    def teachers(self, info: Info, first: First = None, after: After = None) -> Connection[Teacher]:
        return INSTITUTION_TEACHERS.resolve(self, info=info, first=first, after=after)

    @strawberry.field(
        description="Credit-bank certification centres (学习成果认证服务中心) this institution hosts; often empty."
    )
    @batched(HOSTED_CENTRES)
    def certification_centres(self, info: Info) -> list[Annotated[CertificationCentre, strawberry.lazy(_CREDIT)]]:
        return HOSTED_CENTRES.resolve(self, info=info)

    @strawberry.field(description="Alliances (联盟) this institution is a member of.")
    @batched(MEMBER_OF)
    def alliances(self, info: Info) -> list[Annotated[Alliance, strawberry.lazy(_ALLIANCE)]]:
        return MEMBER_OF.resolve(self, info=info)

    @strawberry.field(
        description=(
            "Self-study exam majors (自考专业) for which this institution is the chief examination "
            "university (主考院校); empty for most institutions."
        )
    )
    @batched(CHIEF_EXAM_MAJORS)
    def chief_exam_majors(self, info: Info) -> list[Annotated[Major, strawberry.lazy(_TUTORING)]]:
        return CHIEF_EXAM_MAJORS.resolve(self, info=info)

    @strawberry.field(description="Degree foreign-language exam sessions held at this institution, by year.")
    @batched(HOSTED_EXAM_SESSIONS)
    def exam_sessions(
        self,
        info: Info,
        year: Annotated[int | None, strawberry.argument(description="Only sessions of this year.")] = None,
    ) -> list[Annotated[ExamSession, strawberry.lazy(_ALLIANCE)]]:
        return HOSTED_EXAM_SESSIONS.resolve(self, info=info, year=year)


# The institution a teacher, a course or a learner belongs to (their ``_institution_id``).
ITS_INSTITUTION = institution_at("_institution_id")
TEACHER_COURSES = paged("_oid", of_request(loaders.courses_by_teacher_id), lambda: Course.from_doc)


@strawberry.federation.type(keys=["id"], description="A teacher who teaches courses and sets assignments in the park.")
class Teacher:
    _oid: strawberry.Private[ObjectId]
    _institution_id: strawberry.Private[ObjectId]
    name: str = strawberry.field(description="Full name in Chinese.")

    @classmethod
    def from_doc(cls, doc: Document) -> Teacher:
        return cls(_oid=doc["_id"], _institution_id=doc["institution_id"], name=doc["name"])

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Teacher | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info, IdPrefix.TEACHER, c.TEACHERS, loaders.teacher_by_id(info.context.loaders), id, cls.from_doc
        )

    id = public_id_field(IdPrefix.TEACHER)

    @strawberry.field(description="The institution the teacher belongs to.")
    @batched(ITS_INSTITUTION)
    def institution(self, info: Info) -> Institution | None:
        return ITS_INSTITUTION.resolve(self, info=info)

    @strawberry.field(description="Courses this teacher is in charge of.")
    @batched(TEACHER_COURSES)
    def courses(self, info: Info, first: First = None, after: After = None) -> Connection[Course]:
        return TEACHER_COURSES.resolve(self, info=info, first=first, after=after)


COURSE_TEACHER = to_one("_teacher_id", of_request(loaders.teacher_by_id), lambda: Teacher.from_doc)
COURSE_ASSIGNMENTS = paged("_oid", of_request(loaders.assignments_by_course_id), lambda: Assignment.from_doc)


@strawberry.federation.type(
    keys=["id"], description="An online course (上线课程) offered by an institution in the park."
)
class Course:
    _oid: strawberry.Private[ObjectId]
    _institution_id: strawberry.Private[ObjectId]
    _teacher_id: strawberry.Private[ObjectId | None]
    title: str = strawberry.field(description="The course title, e.g. 高等数学.")
    origin: CourseOrigin = strawberry.field(description="Self-built, co-built or shared (自建、共建、共享).")
    launched_at: datetime = strawberry.field(description="When the course went online.")

    @classmethod
    def from_doc(cls, doc: Document) -> Course:
        """A course from its document, or from the fields ``COURSE_FIELDS`` says a selection needs."""
        return cls.from_docs((doc,))[0]

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> list[Course]:
        """``from_doc`` of each document, without a call per document (see ``models``)."""
        made: list[Course] = []
        for doc in docs:
            origin = doc.get("origin")
            node = blank(cls)
            node.__dict__ = {
                "_oid": doc["_id"],
                "_institution_id": doc.get("institution_id"),
                "_teacher_id": _oid(doc.get("teacher_id")),
                "title": doc.get("title"),
                "origin": _COURSE_ORIGINS[origin] if origin is not None else None,
                "launched_at": doc.get("launched_at"),
            }
            made.append(node)
        return made

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Course | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info, IdPrefix.COURSE, c.COURSES, loaders.course_by_id(info.context.loaders), id, cls.from_doc
        )

    id = public_id_field(IdPrefix.COURSE)

    @strawberry.field(description="The institution offering the course.")
    @batched(ITS_INSTITUTION)
    def institution(self, info: Info) -> Institution | None:
        return ITS_INSTITUTION.resolve(self, info=info)

    @strawberry.field(description="The teacher in charge, when one is recorded.")
    @batched(COURSE_TEACHER)
    def teacher(self, info: Info) -> Teacher | None:
        return COURSE_TEACHER.resolve(self, info=info)

    @strawberry.field(description="Teaching resources (网络教学资源) of the course: videos, documents, exercises.")
    @batched(COURSE_RESOURCES)
    def resources(self, info: Info, first: First = None, after: After = None) -> Connection[CourseResource]:
        return COURSE_RESOURCES.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Assignments teachers have set in this course.")
    @batched(COURSE_ASSIGNMENTS)
    def assignments(self, info: Info, first: First = None, after: After = None) -> Connection[Assignment]:
        return COURSE_ASSIGNMENTS.resolve(self, info=info, first=first, after=after)


# The document fields each field of a Course is made from (see edugraph.schema.projection).
COURSE_FIELDS: DocumentFields = {
    "id": ("_id",),
    "title": ("title",),
    "origin": ("origin",),
    "launchedAt": ("launched_at",),
    "institution": ("institution_id",),
    "teacher": ("teacher_id",),
    "resources": ("_id",),
    "assignments": ("_id",),
}


# The course a resource, an assignment or a study record belongs to (their ``_course_id``).
ITS_COURSE = to_one("_course_id", of_request(loaders.course_by_id), lambda: Course.from_doc)


@strawberry.type(description="One teaching resource of a course: a video lecture, a document, an exercise.")
class CourseResource:
    _oid: strawberry.Private[ObjectId]
    _course_id: strawberry.Private[ObjectId]
    kind: ResourceKind = strawberry.field(description="The form of the resource.")
    title: str = strawberry.field(description="Its title, e.g. 第3讲 函数的极限.")
    minutes: int | None = strawberry.field(description="Running time in minutes, for videos and replays.")
    added_at: datetime = strawberry.field(description="When it was added to the course.")

    @classmethod
    def from_doc(cls, doc: Document) -> CourseResource:
        """A resource from its document, or from the fields ``RESOURCE_FIELDS`` says a selection needs."""
        return cls.from_docs((doc,))[0]

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> list[CourseResource]:
        """``from_doc`` of each document, without a call per document (see ``models``)."""
        made: list[CourseResource] = []
        for doc in docs:
            kind = doc.get("kind")
            node = blank(cls)
            node.__dict__ = {
                "_oid": doc["_id"],
                "_course_id": doc.get("course_id"),
                "kind": _RESOURCE_KINDS[kind] if kind is not None else None,
                "title": doc.get("title"),
                "minutes": doc.get("minutes"),
                "added_at": doc.get("added_at"),
            }
            made.append(node)
        return made

    id = public_id_field(IdPrefix.COURSE_RESOURCE)

    @strawberry.field(description="The course the resource belongs to.")
    @batched(ITS_COURSE)
    def course(self, info: Info) -> Course | None:
        return ITS_COURSE.resolve(self, info=info)


# The document fields each field of a CourseResource is made from.
RESOURCE_FIELDS: DocumentFields = {
    "id": ("_id",),
    "kind": ("kind",),
    "title": ("title",),
    "minutes": ("minutes",),
    "addedAt": ("added_at",),
    "course": ("course_id",),
}


def _credit_account_of(kwargs: dict[str, Any]) -> Prepared:
    """A learner's accounts, of which the first is theirs (a learner opens at most one)."""
    from edugraph.schema.credit_bank import CreditAccount

    def first(docs: list[Document]) -> CreditAccount | None:
        return CreditAccount.from_doc(docs[0]) if docs else None

    return credit_loaders.credit_accounts_by_learner_id(kwargs["info"].context.loaders), first


LEARNER_SUBMISSIONS = paged("_oid", of_request(loaders.submissions_by_learner_id), lambda: Submission.from_doc)
LEARNER_STUDY_RECORDS = to_many("_oid", of_request(loaders.study_records_by_learner_id), lambda: StudyRecord.from_doc)
LEARNER_CREDIT_ACCOUNT: Relation[CreditAccount | None] = Relation("_oid", _credit_account_of)
LEARNER_TUTORING_ENROLMENTS: Relation[list[TutoringEnrolment]] = to_many(
    "_oid", of_request(tutoring_loaders.enrolments_by_learner_id), node_of(_TUTORING, "TutoringEnrolment")
)
LEARNER_EXAM_BOOKINGS: Relation[list[ExamBooking]] = to_many(
    "_oid", of_request(alliance_loaders.exam_bookings_by_learner_id), node_of(_ALLIANCE, "ExamBooking")
)
LEARNER_PURCHASES: Relation[list[DegreeCoursePurchase]] = to_many(
    "_oid", of_request(alliance_loaders.purchases_by_learner_id), node_of(_ALLIANCE, "DegreeCoursePurchase")
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "A person learning on the platforms (学习者). Their page gathers park study, the credit-bank "
        "account, tutoring enrolments and degree-language exam bookings."
    ),
)
class Learner:
    _oid: strawberry.Private[ObjectId]
    _institution_id: strawberry.Private[ObjectId]
    name: str = strawberry.field(description="Full name in Chinese.")
    city: str | None = strawberry.field(description="Home city, when known.")
    registered_at: datetime = strawberry.field(description="When the learner registered.")

    @classmethod
    def from_doc(cls, doc: Document) -> Learner:
        return cls(
            _oid=doc["_id"],
            _institution_id=doc["institution_id"],
            name=doc["name"],
            city=doc.get("city"),
            registered_at=doc["registered_at"],
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Learner | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info, IdPrefix.LEARNER, c.LEARNERS, loaders.learner_by_id(info.context.loaders), id, cls.from_doc
        )

    id = public_id_field(IdPrefix.LEARNER)

    @strawberry.field(description="The institution the learner studies through.")
    @batched(ITS_INSTITUTION)
    def institution(self, info: Info) -> Institution | None:
        return ITS_INSTITUTION.resolve(self, info=info)

    @strawberry.field(description="Assignment submissions (作业提交) by this learner, oldest first.")
    @batched(LEARNER_SUBMISSIONS)
    def submissions(self, info: Info, first: First = None, after: After = None) -> Connection[Submission]:
        return LEARNER_SUBMISSIONS.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Study time the learner has recorded, per course.")
    @batched(LEARNER_STUDY_RECORDS)
    def study_records(self, info: Info) -> list[StudyRecord]:
        return LEARNER_STUDY_RECORDS.resolve(self, info=info)

    @strawberry.field(description="The learner's credit-bank account (学分银行账户), or null if none is open.")
    @batched(LEARNER_CREDIT_ACCOUNT)
    def credit_account(self, info: Info) -> Annotated[CreditAccount, strawberry.lazy(_CREDIT)] | None:
        return LEARNER_CREDIT_ACCOUNT.resolve(self, info=info)

    @strawberry.field(description="Self-study exam majors the learner is enrolled in for tutoring (自考助学).")
    @batched(LEARNER_TUTORING_ENROLMENTS)
    def tutoring_enrolments(self, info: Info) -> list[Annotated[TutoringEnrolment, strawberry.lazy(_TUTORING)]]:
        return LEARNER_TUTORING_ENROLMENTS.resolve(self, info=info)

    @strawberry.field(description="Seats the learner booked in degree foreign-language exam sessions (考试预约).")
    @batched(LEARNER_EXAM_BOOKINGS)
    def exam_bookings(self, info: Info) -> list[Annotated[ExamBooking, strawberry.lazy(_ALLIANCE)]]:
        return LEARNER_EXAM_BOOKINGS.resolve(self, info=info)

    @strawberry.field(description="Degree foreign-language tutoring courses the learner bought.")
    @batched(LEARNER_PURCHASES)
    def degree_course_purchases(self, info: Info) -> list[Annotated[DegreeCoursePurchase, strawberry.lazy(_ALLIANCE)]]:
        return LEARNER_PURCHASES.resolve(self, info=info)


ASSIGNMENT_SUBMISSIONS = paged(
    "_oid",
    of_request(loaders.submissions_by_assignment_id),
    lambda: Submission.from_doc,
)


@strawberry.type(description="An assignment a teacher set in a course (作业).")
class Assignment:
    _oid: strawberry.Private[ObjectId]
    _course_id: strawberry.Private[ObjectId]
    title: str = strawberry.field(description="What the assignment is called.")
    set_at: datetime = strawberry.field(description="When it was set.")
    due_at: datetime = strawberry.field(description="Submissions are accepted until this moment.")

    @classmethod
    def from_doc(cls, doc: Document) -> Assignment:
        return cls(
            _oid=doc["_id"], _course_id=doc["course_id"], title=doc["title"], set_at=doc["set_at"], due_at=doc["due_at"]
        )

    id = public_id_field(IdPrefix.ASSIGNMENT)

    @strawberry.field(description="The course the assignment belongs to.")
    @batched(ITS_COURSE)
    def course(self, info: Info) -> Course | None:
        return ITS_COURSE.resolve(self, info=info)

    @strawberry.field(description="Learners' submissions of this assignment.")
    @batched(ASSIGNMENT_SUBMISSIONS)
    def submissions(self, info: Info, first: First = None, after: After = None) -> Connection[Submission]:
        return ASSIGNMENT_SUBMISSIONS.resolve(self, info=info, first=first, after=after)


@strawberry.type(description="One hand-in of a submission; a resubmission adds one.")
class SubmissionVersion:
    submitted_at: datetime = strawberry.field(description="When this version was handed in.")
    content: str | None = strawberry.field(description="The answer handed in.")


SUBMITTED_ASSIGNMENT = to_one("_assignment_id", of_request(loaders.assignment_by_id), lambda: Assignment.from_doc)
SUBMITTING_LEARNER = learner_at("_learner_id")


@strawberry.type(description="A learner's submission of an assignment (作业提交): the current answer and its history.")
class Submission:
    _oid: strawberry.Private[ObjectId]
    _assignment_id: strawberry.Private[ObjectId]
    _learner_id: strawberry.Private[ObjectId]
    submitted_at: datetime = strawberry.field(description="When the current answer was handed in.")
    content: str | None = strawberry.field(description="The current answer; null for records without one.")
    score: int | None = strawberry.field(
        description="Mark out of 100; null until the teacher grades the current answer."
    )
    history: list[SubmissionVersion] = strawberry.field(
        description="Every hand-in, oldest first; a resubmission replaces the answer but stays listed here."
    )

    @classmethod
    def from_doc(cls, doc: Document) -> Submission:
        return cls(
            _oid=doc["_id"],
            _assignment_id=doc["assignment_id"],
            _learner_id=doc["learner_id"],
            submitted_at=doc["submitted_at"],
            content=doc.get("content"),
            score=doc.get("score"),
            history=[
                SubmissionVersion(submitted_at=v["submitted_at"], content=v.get("content"))
                for v in doc.get("history", [])
            ],
        )

    id = public_id_field(IdPrefix.SUBMISSION)

    @strawberry.field(description="The assignment this answers.")
    @batched(SUBMITTED_ASSIGNMENT)
    def assignment(self, info: Info) -> Assignment | None:
        return SUBMITTED_ASSIGNMENT.resolve(self, info=info)

    @strawberry.field(description="Who submitted it.")
    @batched(SUBMITTING_LEARNER)
    def learner(self, info: Info) -> Learner | None:
        return SUBMITTING_LEARNER.resolve(self, info=info)


@strawberry.type(description="How long a learner has studied a course's videos, in total.")
class StudyRecord:
    _oid: strawberry.Private[ObjectId]
    _course_id: strawberry.Private[ObjectId]
    minutes: int = strawberry.field(description="Total minutes of study recorded.")
    updated_at: datetime = strawberry.field(description="When study time was last added.")

    @classmethod
    def from_doc(cls, doc: Document) -> StudyRecord:
        return cls(_oid=doc["_id"], _course_id=doc["course_id"], minutes=doc["minutes"], updated_at=doc["updated_at"])

    @strawberry.field(description="The course studied.")
    @batched(ITS_COURSE)
    def course(self, info: Info) -> Course | None:
        return ITS_COURSE.resolve(self, info=info)
