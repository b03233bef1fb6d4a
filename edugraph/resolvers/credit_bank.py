"""Root queries of the credit bank: certification centres, accounts and outcomes."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix, optional_id, parse_id
from edugraph.loaders import credit_bank as loaders
from edugraph.resolvers.filters import compact, contains, enum_value
from edugraph.resolvers.paging import Ordering, find_connection
from edugraph.schema.arguments import After, First, IdArg
from edugraph.schema.credit_bank import (
    CentreKind,
    CertificationCentre,
    CreditAccount,
    LearningOutcome,
    OutcomeKind,
    OutcomeStatus,
)
from edugraph.schema.pagination import Connection
from edugraph.schema.relations import load_one, lookup
from edugraph.store import collections as c


@strawberry.input(description="Narrows a list of certification centres; every condition given must hold.")
class CertificationCentreFilter:
    kind: CentreKind | None = strawberry.field(default=None, description="Only this kind of centre.")
    city: str | None = strawberry.field(default=None, description="Only this city, exactly.")
    name_contains: str | None = strawberry.field(default=None, description="Only names containing this text.")


@strawberry.input(description="Narrows a list of learning outcomes; every condition given must hold.")
class LearningOutcomeFilter:
    status: OutcomeStatus | None = strawberry.field(default=None, description="Only outcomes in this status.")
    kind: OutcomeKind | None = strawberry.field(default=None, description="Only this kind of outcome.")
    recognised_by: strawberry.ID | None = strawberry.field(
        default=None, description="Only outcomes recognised by this certification centre."
    )


@strawberry.type
class CreditBankQuery:
    @strawberry.field(description="One certification centre by id; null when none has that id.")
    def certification_centre(self, info: Info, id: IdArg) -> CertificationCentre | None:
        oid = parse_id(IdPrefix.CERTIFICATION_CENTRE, id)
        return load_one(loaders.certification_centre_by_id(info.context.loaders), oid, CertificationCentre.from_doc)

    @strawberry.field(description="Learning-outcome certification centres (学习成果认证服务中心).")
    async def certification_centres(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            CertificationCentreFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
    ) -> Connection[CertificationCentre]:
        f = filter or CertificationCentreFilter()
        where = compact(
            kind=enum_value(f.kind),
            city=f.city,
            name=contains(f.name_contains, argument="filter.nameContains"),
        )
        return await find_connection(
            info.context.db,
            c.CERTIFICATION_CENTRES,
            where=where,
            ordering=Ordering("certification_centres:id", None),
            first=first,
            after=after,
            to_node=CertificationCentre.from_doc,
            policy=info.context.loaders.policy,
        )

    @strawberry.field(description="One credit-bank account by id; null when none has that id.")
    async def credit_account(self, info: Info, id: IdArg) -> CreditAccount | None:
        oid = parse_id(IdPrefix.CREDIT_ACCOUNT, id)
        return await lookup(
            info, c.CREDIT_ACCOUNTS, loaders.credit_account_by_id(info.context.loaders), oid, CreditAccount.from_doc
        )

    @strawberry.field(description="One learning outcome by id; null when none has that id.")
    async def learning_outcome(self, info: Info, id: IdArg) -> LearningOutcome | None:
        oid = parse_id(IdPrefix.LEARNING_OUTCOME, id)
        return await lookup(
            info,
            c.LEARNING_OUTCOMES,
            loaders.learning_outcome_by_id(info.context.loaders),
            oid,
            LearningOutcome.from_doc,
        )

    @strawberry.field(description="Learning outcomes deposited in the credit bank, oldest first.")
    async def learning_outcomes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            LearningOutcomeFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
    ) -> Connection[LearningOutcome]:
        f = filter or LearningOutcomeFilter()
        where = compact(
            status=enum_value(f.status),
            kind=enum_value(f.kind),
            recognised_by=optional_id(IdPrefix.CERTIFICATION_CENTRE, f.recognised_by, argument="filter.recognisedBy"),
        )
        return await find_connection(
            info.context.db,
            c.LEARNING_OUTCOMES,
            where=where,
            ordering=Ordering("learning_outcomes:id", None),
            first=first,
            after=after,
            to_node=LearningOutcome.from_doc,
            policy=info.context.loaders.policy,
        )
