"""GraphQL types of the alliances (联盟): alliances, committees, degree-language exams."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from bson import ObjectId

from edugraph.context import Info
from edugraph.execution.batched import Hop, batched
from edugraph.ids import IdPrefix
from edugraph.loaders import alliance as loaders
from edugraph.loaders import park as park_loaders
from edugraph.loaders.base import Document, Page
from edugraph.schema.arguments import After, First
from edugraph.schema.identity import public_id_field
from edugraph.schema.links import institution_at, learner_at
from edugraph.schema.models import blank, members_by_value
from edugraph.schema.pagination import Connection, PageRequest, page_to_connection, paged
from edugraph.schema.relations import Prepared, Relation, of_request, reference, to_many, to_one
from edugraph.store import collections as c

if TYPE_CHECKING:
    from edugraph.schema.park import Institution, Learner

_PARK = "edugraph.schema.park"


@strawberry.enum(description="What an alliance brings its members together for.")
class AllianceKind(Enum):
    PUBLIC_ENGLISH = strawberry.enum_value(
        "PUBLIC_ENGLISH", description="Public English teaching and the degree foreign-language exam (公共英语联盟)."
    )
    COOPERATION = strawberry.enum_value(
        "COOPERATION", description="General continuing-education cooperation between universities (合作联盟)."
    )
    DEGREE_LANGUAGE_ASSESSMENT = strawberry.enum_value(
        "DEGREE_LANGUAGE_ASSESSMENT", description="Degree foreign-language assessment (学位外语考评联盟)."
    )
    CROSS_PROVINCE = strawberry.enum_value(
        "CROSS_PROVINCE", description="Cooperation across provinces, e.g. Anhui–Jiangxi (皖赣)."
    )


@strawberry.enum(description="Whether an alliance is running or still planned.")
class AllianceStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Established and running.")
    PLANNED = strawberry.enum_value("PLANNED", description="Agreed in principle, being set up.")


@strawberry.enum(description="The two exam sittings of a year.")
class ExamSeason(Enum):
    SPRING = strawberry.enum_value("SPRING", description="The first sitting of the year.")
    AUTUMN = strawberry.enum_value("AUTUMN", description="The second sitting of the year.")


@strawberry.enum(description="Where an exam booking stands.")
class BookingStatus(Enum):
    BOOKED = strawberry.enum_value("BOOKED", description="The seat is held.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled; the seat went back to the session.")
    ATTENDED = strawberry.enum_value("ATTENDED", description="The candidate sat the exam.")


_ALLIANCE_KINDS = members_by_value(AllianceKind)
_ALLIANCE_STATUSES = members_by_value(AllianceStatus)


def _members_of(kwargs: dict[str, Any]) -> Prepared:
    """A page of an alliance's memberships, then their institutions: two loads, each made
    once for all the alliances of a level. Pages of members keep the membership's cursor,
    so paging is stable while institutions change; a membership whose institution is gone
    is skipped."""
    from edugraph.schema.park import Institution

    info: Info = kwargs["info"]
    request = PageRequest.parse(kwargs.get("first"), kwargs.get("after"))
    by_id = park_loaders.institution_by_id(info.context.loaders)

    def to_node(doc: Document) -> Institution:
        return Institution.from_doc({**doc, "_id": doc["_institution_oid"]})

    to_connection = page_to_connection(request, to_node)

    def of(memberships: Page) -> Hop[ObjectId, Document | None, Connection[Institution]]:
        def members(institutions: list[Document | None]) -> Connection[Institution]:
            documents = [
                {**doc, "_id": m["_id"], "_institution_oid": doc["_id"]}
                for m, doc in zip(memberships.documents, institutions, strict=True)
                if doc is not None
            ]
            return to_connection(Page(total=memberships.total, documents=documents))

        return Hop(by_id, [m["institution_id"] for m in memberships.documents], members)

    return loaders.memberships_by_alliance_id(info.context.loaders, request), of


ALLIANCE_MEMBERS: Relation[Connection[Institution]] = Relation("_oid", _members_of)
ALLIANCE_COMMITTEES = to_many("_oid", of_request(loaders.committees_by_alliance_id), lambda: AllianceCommittee.from_doc)
ALLIANCE_EXAM_SESSIONS = to_many(
    "_oid", of_request(loaders.exam_sessions_by_alliance_id), lambda: ExamSession.from_doc, matching="year"
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "An alliance (联盟) of universities: the public English alliance, the cooperation alliance, "
        "and cross-province alliances with Jiangxi."
    ),
)
class Alliance:
    _oid: strawberry.Private[ObjectId]
    name: str = strawberry.field(description="Full Chinese name.")
    kind: AllianceKind = strawberry.field(description="What the alliance is for.")
    status: AllianceStatus = strawberry.field(description="Running or planned.")
    provinces: list[str] = strawberry.field(description="Provinces whose institutions take part, e.g. [安徽, 江西].")
    founded_at: datetime | None = strawberry.field(description="When it was founded; null while planned.")
    description: str | None = strawberry.field(description="A sentence on its purpose.")

    @classmethod
    def from_doc(cls, doc: Document) -> Alliance:
        return cls.from_docs((doc,))[0]

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> list[Alliance]:
        """``from_doc`` of each document, without a call per document (see ``models``)."""
        made: list[Alliance] = []
        for doc in docs:
            node = blank(cls)
            node.__dict__ = {
                "_oid": doc["_id"],
                "name": doc["name"],
                "kind": _ALLIANCE_KINDS[doc["kind"]],
                "status": _ALLIANCE_STATUSES[doc.get("status", "ACTIVE")],
                "provinces": list(doc.get("provinces", [])),
                "founded_at": doc.get("founded_at"),
                "description": doc.get("description"),
            }
            made.append(node)
        return made

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Alliance | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info, IdPrefix.ALLIANCE, c.ALLIANCES, loaders.alliance_by_id(info.context.loaders), id, cls.from_doc
        )

    id = public_id_field(IdPrefix.ALLIANCE)

    @strawberry.field(description="Member institutions, in the order they joined.")
    @batched(ALLIANCE_MEMBERS)
    def members(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Annotated[Institution, strawberry.lazy(_PARK)]]:
        return ALLIANCE_MEMBERS.resolve(self, info=info, first=first, after=after)

    @strawberry.field(description="Special committees (专委会) of the alliance.")
    @batched(ALLIANCE_COMMITTEES)
    def committees(self, info: Info) -> list[AllianceCommittee]:
        return ALLIANCE_COMMITTEES.resolve(self, info=info)

    @strawberry.field(description="Degree foreign-language exam sessions the alliance organises.")
    @batched(ALLIANCE_EXAM_SESSIONS)
    def exam_sessions(
        self,
        info: Info,
        year: Annotated[int | None, strawberry.argument(description="Only sessions of this year.")] = None,
    ) -> list[ExamSession]:
        return ALLIANCE_EXAM_SESSIONS.resolve(self, info=info, year=year)


# The alliance a committee belongs to, or an exam session is organised by (``_alliance_id``).
ITS_ALLIANCE = to_one("_alliance_id", of_request(loaders.alliance_by_id), lambda: Alliance.from_doc)


@strawberry.type(description="A special committee (专委会) of an alliance, e.g. the credit-bank reform committee.")
class AllianceCommittee:
    _oid: strawberry.Private[ObjectId]
    _alliance_id: strawberry.Private[ObjectId]
    name: str = strawberry.field(description="Full Chinese name.")
    focus: str | None = strawberry.field(description="What the committee works on.")

    @classmethod
    def from_doc(cls, doc: Document) -> AllianceCommittee:
        return cls(_oid=doc["_id"], _alliance_id=doc["alliance_id"], name=doc["name"], focus=doc.get("focus"))

    id = public_id_field(IdPrefix.ALLIANCE_COMMITTEE)

    @strawberry.field(description="The alliance the committee belongs to.")
    @batched(ITS_ALLIANCE)
    def alliance(self, info: Info) -> Alliance | None:
        return ITS_ALLIANCE.resolve(self, info=info)


SESSION_HOST = institution_at("_host_institution_id")
SESSION_BOOKINGS = paged(
    "_oid",
    of_request(loaders.exam_bookings_by_session_id),
    lambda: ExamBooking.from_doc,
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "One sitting of the degree foreign-language exam (学位外语考试) at a host university. "
        "`booked` never exceeds `capacity`."
    ),
)
class ExamSession:
    _oid: strawberry.Private[ObjectId]
    _host_institution_id: strawberry.Private[ObjectId | None]
    _alliance_id: strawberry.Private[ObjectId | None]
    year: int = strawberry.field(description="The exam year.")
    season: ExamSeason = strawberry.field(description="Spring or autumn sitting.")
    exam_date: datetime | None = strawberry.field(description="When the exam takes place.")
    capacity: int = strawberry.field(description="Seats available in total.")
    booked: int = strawberry.field(description="Seats currently booked.")

    @classmethod
    def from_doc(cls, doc: Document) -> ExamSession:
        return cls(
            _oid=doc["_id"],
            _host_institution_id=doc.get("host_institution_id"),
            _alliance_id=doc.get("alliance_id"),
            year=doc["year"],
            season=ExamSeason(doc["season"]),
            exam_date=doc.get("exam_date"),
            capacity=doc["capacity"],
            booked=doc["booked"],
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> ExamSession | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info,
            IdPrefix.EXAM_SESSION,
            c.EXAM_SESSIONS,
            loaders.exam_session_by_id(info.context.loaders),
            id,
            cls.from_doc,
        )

    id = public_id_field(IdPrefix.EXAM_SESSION)

    @strawberry.field(description="The university where the session is held.")
    @batched(SESSION_HOST)
    def host_institution(self, info: Info) -> Annotated[Institution, strawberry.lazy(_PARK)] | None:
        return SESSION_HOST.resolve(self, info=info)

    @strawberry.field(description="The alliance organising the exam.")
    @batched(ITS_ALLIANCE)
    def alliance(self, info: Info) -> Alliance | None:
        return ITS_ALLIANCE.resolve(self, info=info)

    @strawberry.field(description="Bookings made for this session, cancelled ones included.")
    @batched(SESSION_BOOKINGS)
    def bookings(self, info: Info, first: First = None, after: After = None) -> Connection[ExamBooking]:
        return SESSION_BOOKINGS.resolve(self, info=info, first=first, after=after)


BOOKED_SESSION = to_one("_session_id", of_request(loaders.exam_session_by_id), lambda: ExamSession.from_doc)
# The learner who booked a seat or bought a course (``_learner_id``).
ITS_LEARNER = learner_at("_learner_id")


@strawberry.type(description="A learner's seat booking in a degree foreign-language exam session (考试预约).")
class ExamBooking:
    _oid: strawberry.Private[ObjectId]
    _session_id: strawberry.Private[ObjectId]
    _learner_id: strawberry.Private[ObjectId]
    status: BookingStatus = strawberry.field(description="Booked, cancelled or attended.")
    booked_at: datetime = strawberry.field(description="When the seat was booked.")

    @classmethod
    def from_doc(cls, doc: Document) -> ExamBooking:
        return cls(
            _oid=doc["_id"],
            _session_id=doc["session_id"],
            _learner_id=doc["learner_id"],
            # CANCELLING is a cancellation still giving its seat back: cancelled to the client.
            status=BookingStatus("CANCELLED" if doc["status"] == "CANCELLING" else doc["status"]),
            booked_at=doc["booked_at"],
        )

    id = public_id_field(IdPrefix.EXAM_BOOKING)

    @strawberry.field(description="The session booked.")
    @batched(BOOKED_SESSION)
    def session(self, info: Info) -> ExamSession | None:
        return BOOKED_SESSION.resolve(self, info=info)

    @strawberry.field(description="The candidate.")
    @batched(ITS_LEARNER)
    def learner(self, info: Info) -> Annotated[Learner, strawberry.lazy(_PARK)] | None:
        return ITS_LEARNER.resolve(self, info=info)


@strawberry.type(description="A degree foreign-language tutoring course a learner bought (学位外语辅导课程).")
class DegreeCoursePurchase:
    _oid: strawberry.Private[ObjectId]
    _learner_id: strawberry.Private[ObjectId]
    product: str = strawberry.field(description="The tutoring course bought.")
    price_yuan: float | None = strawberry.field(description="Price paid, in yuan.")
    purchased_at: datetime = strawberry.field(description="When it was bought.")

    @classmethod
    def from_doc(cls, doc: Document) -> DegreeCoursePurchase:
        price = doc.get("price_yuan")
        return cls(
            _oid=doc["_id"],
            _learner_id=doc["learner_id"],
            product=doc["product"],
            price_yuan=float(price) if price is not None else None,
            purchased_at=doc["purchased_at"],
        )

    id = public_id_field(IdPrefix.DEGREE_COURSE_PURCHASE)

    @strawberry.field(description="The buyer.")
    @batched(ITS_LEARNER)
    def learner(self, info: Info) -> Annotated[Learner, strawberry.lazy(_PARK)] | None:
        return ITS_LEARNER.resolve(self, info=info)
