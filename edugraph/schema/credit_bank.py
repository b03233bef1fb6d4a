"""GraphQL types of the credit bank (学分银行): centres, accounts, outcomes, conversions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from bson import ObjectId

from edugraph.auth import Role
from edugraph.context import Info
from edugraph.execution.batched import batched
from edugraph.execution.later import later
from edugraph.ids import IdPrefix
from edugraph.loaders import credit_bank as loaders
from edugraph.loaders import park as park_loaders
from edugraph.loaders import tutoring as tutoring_loaders
from edugraph.loaders.base import Document
from edugraph.policy import scope_id
from edugraph.schema.arguments import After, First
from edugraph.schema.identity import public_id_field
from edugraph.schema.links import institution_at, learner_at
from edugraph.schema.models import blank, members_by_value
from edugraph.schema.pagination import Connection, paged
from edugraph.schema.projection import DocumentFields
from edugraph.schema.relations import Relation, node_of, of_request, reference, to_one
from edugraph.store import collections as c

if TYPE_CHECKING:
    from edugraph.schema.park import Course, Institution, Learner
    from edugraph.schema.tutoring import Major

_PARK = "edugraph.schema.park"
_TUTORING = "edugraph.schema.tutoring"


@strawberry.enum(description="The four kinds of learning-outcome certification centre.")
class CentreKind(Enum):
    UNIVERSITY = strawberry.enum_value("UNIVERSITY", description="Hosted by a university (高校认证分中心).")
    LOCAL = strawberry.enum_value("LOCAL", description="Run by a city (地方认证分中心), e.g. 黄山市.")
    SECONDARY_VOCATIONAL_PILOT = strawberry.enum_value(
        "SECONDARY_VOCATIONAL_PILOT",
        description="A pilot centre at a secondary-vocational or technical school (中职/技工院校试点).",
    )
    SUB_CENTRE = strawberry.enum_value(
        "SUB_CENTRE", description="A county-level or university sub-centre (县级/高校认证点)."
    )


@strawberry.enum(description="What a deposited learning outcome is.")
class OutcomeKind(Enum):
    ACADEMIC_CREDIT = strawberry.enum_value("ACADEMIC_CREDIT", description="Credits earned in a degree programme.")
    VOCATIONAL_CERTIFICATE = strawberry.enum_value(
        "VOCATIONAL_CERTIFICATE", description="A vocational skill certificate (职业技能证书)."
    )
    TRAINING = strawberry.enum_value("TRAINING", description="A completed non-degree training course.")
    ONLINE_COURSE = strawberry.enum_value("ONLINE_COURSE", description="A completed online course of the park.")
    AWARD = strawberry.enum_value("AWARD", description="A competition prize or other award.")


@strawberry.enum(description="Where a learning outcome stands: stored, then recognised, then converted.")
class OutcomeStatus(Enum):
    DEPOSITED = strawberry.enum_value("DEPOSITED", description="Stored in the account (存储), awaiting recognition.")
    RECOGNISED = strawberry.enum_value("RECOGNISED", description="Recognised by a certification centre (认定).")
    CONVERTED = strawberry.enum_value("CONVERTED", description="Converted into credits (转换); final.")


@strawberry.enum(description="Whether a credit-bank account is in use.")
class AccountStatus(Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Open and in use.")
    DORMANT = strawberry.enum_value("DORMANT", description="Open, but without activity for a long time.")


_CENTRE_KINDS = members_by_value(CentreKind)

CENTRE_HOST = institution_at("_host_institution_id")
CENTRE_RECOGNISED_OUTCOMES = paged(
    "_oid",
    of_request(loaders.learning_outcomes_by_recognised_by),
    lambda: LearningOutcome.from_doc,
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "A learning-outcome certification service centre (学习成果认证服务中心): recognises the "
        "outcomes learners deposit in the credit bank."
    ),
)
class CertificationCentre:
    _oid: strawberry.Private[ObjectId]
    _host_institution_id: strawberry.Private[ObjectId | None]
    name: str = strawberry.field(description="Full Chinese name of the centre.")
    kind: CentreKind = strawberry.field(description="University, local, pilot or sub-centre.")
    city: str | None = strawberry.field(description="The Anhui city it serves.")
    established_at: datetime = strawberry.field(description="When the centre was set up.")

    @classmethod
    def from_doc(cls, doc: Document) -> CertificationCentre:
        """A centre from its document, or from the fields ``CENTRE_FIELDS`` says a selection needs."""
        return cls.from_docs((doc,))[0]

    @classmethod
    def from_docs(cls, docs: Iterable[Document]) -> list[CertificationCentre]:
        """``from_doc`` of each document, without a call per document (see ``models``)."""
        made: list[CertificationCentre] = []
        for doc in docs:
            kind = doc.get("kind")
            node = blank(cls)
            node.__dict__ = {
                "_oid": doc["_id"],
                "_host_institution_id": doc.get("host_institution_id"),
                "name": doc.get("name"),
                "kind": _CENTRE_KINDS[kind] if kind is not None else None,
                "city": doc.get("city"),
                "established_at": doc.get("established_at"),
            }
            made.append(node)
        return made

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> CertificationCentre | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info,
            IdPrefix.CERTIFICATION_CENTRE,
            c.CERTIFICATION_CENTRES,
            loaders.certification_centre_by_id(info.context.loaders),
            id,
            cls.from_doc,
        )

    id = public_id_field(IdPrefix.CERTIFICATION_CENTRE)

    @strawberry.field(description="The institution hosting the centre; null for city-run centres.")
    @batched(CENTRE_HOST)
    def host_institution(self, info: Info) -> Annotated[Institution, strawberry.lazy(_PARK)] | None:
        return CENTRE_HOST.resolve(self, info=info)

    @strawberry.field(description="Learning outcomes this centre has recognised.")
    @batched(CENTRE_RECOGNISED_OUTCOMES)
    def recognised_outcomes(self, info: Info, first: First = None, after: After = None) -> Connection[LearningOutcome]:
        return CENTRE_RECOGNISED_OUTCOMES.resolve(self, info=info, first=first, after=after)


# The document fields each field of a CertificationCentre is made from (see edugraph.schema.projection).
CENTRE_FIELDS: DocumentFields = {
    "id": ("_id",),
    "name": ("name",),
    "kind": ("kind",),
    "city": ("city",),
    "establishedAt": ("established_at",),
    "hostInstitution": ("host_institution_id",),
    "recognisedOutcomes": ("_id",),
}


ACCOUNT_HOLDER = learner_at("_learner_id")
ACCOUNT_OUTCOMES = paged(
    "_oid",
    of_request(loaders.learning_outcomes_by_account_id),
    lambda: LearningOutcome.from_doc,
)


@strawberry.type(description="A learner's lifelong-learning account in the credit bank (学分银行账户).")
class CreditAccount:
    _oid: strawberry.Private[ObjectId]
    _learner_id: strawberry.Private[ObjectId]
    opened_at: datetime = strawberry.field(description="When the account was opened.")
    status: AccountStatus = strawberry.field(description="Whether the account is in use.")
    _national_id_masked: strawberry.Private[str | None]

    @classmethod
    def from_doc(cls, doc: Document) -> CreditAccount:
        return cls(
            _oid=doc["_id"],
            _learner_id=doc["learner_id"],
            opened_at=doc["opened_at"],
            status=AccountStatus(doc.get("status", "ACTIVE")),
            _national_id_masked=doc.get("national_id_masked"),
        )

    id = public_id_field(IdPrefix.CREDIT_ACCOUNT)

    @strawberry.field(
        description=(
            "The holder's national ID number, masked (e.g. 3401**********1234): shown only to the "
            "holder and platform admins, null for everyone else and where none is recorded."
        )
    )
    def national_id_masked(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if viewer.role is Role.PLATFORM_ADMIN or (
            viewer.role is Role.LEARNER and scope_id(viewer.subject) == self._learner_id
        ):
            return self._national_id_masked
        return None

    @strawberry.field(description="The account holder.")
    @batched(ACCOUNT_HOLDER)
    def learner(self, info: Info) -> Annotated[Learner, strawberry.lazy(_PARK)] | None:
        return ACCOUNT_HOLDER.resolve(self, info=info)

    @strawberry.field(description="Learning outcomes deposited in this account (存入学习成果), oldest first.")
    @batched(ACCOUNT_OUTCOMES)
    def learning_outcomes(self, info: Info, first: First = None, after: After = None) -> Connection[LearningOutcome]:
        return ACCOUNT_OUTCOMES.resolve(self, info=info, first=first, after=after)


OUTCOME_ACCOUNT = to_one("_account_id", of_request(loaders.credit_account_by_id), lambda: CreditAccount.from_doc)
RECOGNISING_CENTRE = to_one(
    "_recognised_by", of_request(loaders.certification_centre_by_id), lambda: CertificationCentre.from_doc
)


@strawberry.federation.type(
    keys=["id"],
    description=(
        "A learning outcome deposited in a credit-bank account: a certificate, credits, a training. "
        "It is recognised by a certification centre, then converted into credits."
    ),
)
class LearningOutcome:
    _oid: strawberry.Private[ObjectId]
    _account_id: strawberry.Private[ObjectId]
    _recognised_by: strawberry.Private[ObjectId | None]
    _pending_conversion: strawberry.Private[Document | None]
    title: str = strawberry.field(description="What the outcome is, e.g. 全国计算机等级考试二级证书.")
    kind: OutcomeKind = strawberry.field(description="The sort of outcome.")
    status: OutcomeStatus = strawberry.field(description="Deposited, recognised or converted.")
    credits: float = strawberry.field(description="Credits the outcome is worth.")
    deposited_at: datetime = strawberry.field(description="When it was deposited.")
    recognised_at: datetime | None = strawberry.field(description="When a centre recognised it; null before.")

    @classmethod
    def from_doc(cls, doc: Document) -> LearningOutcome:
        return cls(
            _oid=doc["_id"],
            _account_id=doc["account_id"],
            _recognised_by=doc.get("recognised_by"),
            _pending_conversion=doc.get("pending_conversion"),
            title=doc["title"],
            kind=OutcomeKind(doc["kind"]),
            status=OutcomeStatus(doc["status"]),
            credits=float(doc["credits"]),
            deposited_at=doc["deposited_at"],
            recognised_at=doc.get("recognised_at"),
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> LearningOutcome | None:
        """A partner's gateway asking for this entity by key, batched like any other read."""
        return await reference(
            info,
            IdPrefix.LEARNING_OUTCOME,
            c.LEARNING_OUTCOMES,
            loaders.learning_outcome_by_id(info.context.loaders),
            id,
            cls.from_doc,
        )

    id = public_id_field(IdPrefix.LEARNING_OUTCOME)

    @strawberry.field(description="The account holding the outcome.")
    @batched(OUTCOME_ACCOUNT)
    def account(self, info: Info) -> CreditAccount | None:
        return OUTCOME_ACCOUNT.resolve(self, info=info)

    @strawberry.field(description="The certification centre that recognised it; null while only deposited.")
    @batched(RECOGNISING_CENTRE)
    def recognised_by(self, info: Info) -> CertificationCentre | None:
        return RECOGNISING_CENTRE.resolve(self, info=info)

    @strawberry.field(description="Conversions of this outcome into credits; at most one.")
    def conversions(self, info: Info) -> list[CreditConversion]:
        pending = self._pending_conversion

        def shown(docs: list[Document]) -> list[CreditConversion]:
            if docs or pending is None:
                return [CreditConversion.from_doc(doc) for doc in docs]
            # A conversion whose record a crash kept from being written yet: shown all the same.
            return [CreditConversion.from_doc(pending)]

        return later(loaders.credit_conversions_by_outcome_id(info.context.loaders).load(self._oid), shown)


CONVERTED_OUTCOME = to_one("_outcome_id", of_request(loaders.learning_outcome_by_id), lambda: LearningOutcome.from_doc)
TARGET_COURSE: Relation[Course | None] = to_one(
    "_target_course_id", of_request(park_loaders.course_by_id), node_of(_PARK, "Course")
)
TARGET_MAJOR: Relation[Major | None] = to_one(
    "_target_major_id", of_request(tutoring_loaders.major_by_id), node_of(_TUTORING, "Major")
)


@strawberry.type(description="The conversion (转换) of a recognised outcome into credits toward a course or a major.")
class CreditConversion:
    _oid: strawberry.Private[ObjectId]
    _outcome_id: strawberry.Private[ObjectId]
    _target_course_id: strawberry.Private[ObjectId | None]
    _target_major_id: strawberry.Private[ObjectId | None]
    credits: float = strawberry.field(description="Credits granted by the conversion.")
    rule: str = strawberry.field(description="The conversion rule applied, e.g. 专业-课程.")
    converted_at: datetime = strawberry.field(description="When the conversion was made.")

    @classmethod
    def from_doc(cls, doc: Document) -> CreditConversion:
        return cls(
            _oid=doc["_id"],
            _outcome_id=doc["outcome_id"],
            _target_course_id=doc.get("target_course_id"),
            _target_major_id=doc.get("target_major_id"),
            credits=float(doc["credits"]),
            rule=doc.get("rule", ""),
            converted_at=doc["converted_at"],
        )

    id = public_id_field(IdPrefix.CREDIT_CONVERSION)

    @strawberry.field(description="The outcome converted.")
    @batched(CONVERTED_OUTCOME)
    def outcome(self, info: Info) -> LearningOutcome | None:
        return CONVERTED_OUTCOME.resolve(self, info=info)

    @strawberry.field(description="The park course the credits count toward, when the target is a course.")
    @batched(TARGET_COURSE)
    def target_course(self, info: Info) -> Annotated[Course, strawberry.lazy(_PARK)] | None:
        return TARGET_COURSE.resolve(self, info=info)

    @strawberry.field(description="The tutoring major the credits count toward, when the target is a major.")
    @batched(TARGET_MAJOR)
    def target_major(self, info: Info) -> Annotated[Major, strawberry.lazy(_TUTORING)] | None:
        return TARGET_MAJOR.resolve(self, info=info)
