"""Root queries of the park: institutions, courses and learners, one or a page."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix, optional_id, parse_id
from edugraph.loaders import park as loaders
from edugraph.resolvers.filters import compact, contains, enum_value, year_range
from edugraph.resolvers.paging import Ordering, find_connection
from edugraph.schema.arguments import After, First, IdArg
from edugraph.schema.pagination import Connection
from edugraph.schema.park import Course, CourseOrigin, Institution, InstitutionKind, Learner
from edugraph.schema.relations import load_one, lookup
from edugraph.store import collections as c


@strawberry.enum(description="Orders a list of institutions; ties are broken by id.")
class InstitutionOrder(Enum):
    ID = strawberry.enum_value("ID", description="In the order they were added (default).")
    NAME = strawberry.enum_value("NAME", description="By name, in Unicode code-point order.")
    CITY = strawberry.enum_value("CITY", description="By city, in Unicode code-point order.")
    JOINED_AT = strawberry.enum_value("JOINED_AT", description="By the date they joined the park.")


_INSTITUTION_ORDERINGS = {
    InstitutionOrder.ID: Ordering("institutions:id", None),
    InstitutionOrder.NAME: Ordering("institutions:name", "name"),
    InstitutionOrder.CITY: Ordering("institutions:city", "city"),
    InstitutionOrder.JOINED_AT: Ordering("institutions:joined_at", "joined_at"),
}


@strawberry.enum(description="Orders a list of courses; ties are broken by id.")
class CourseOrder(Enum):
    ID = strawberry.enum_value("ID", description="In the order they were added (default).")
    TITLE = strawberry.enum_value("TITLE", description="By title, in Unicode code-point order.")
    LAUNCHED_AT = strawberry.enum_value("LAUNCHED_AT", description="By the date they went online.")


_COURSE_ORDERINGS = {
    CourseOrder.ID: Ordering("courses:id", None),
    CourseOrder.TITLE: Ordering("courses:title", "title"),
    CourseOrder.LAUNCHED_AT: Ordering("courses:launched_at", "launched_at"),
}


@strawberry.enum(description="Orders a list of learners; ties are broken by id.")
class LearnerOrder(Enum):
    ID = strawberry.enum_value("ID", description="In the order they were added (default).")
    NAME = strawberry.enum_value("NAME", description="By name, in Unicode code-point order.")
    REGISTERED_AT = strawberry.enum_value("REGISTERED_AT", description="By the date they registered.")


_LEARNER_ORDERINGS = {
    LearnerOrder.ID: Ordering("learners:id", None),
    LearnerOrder.NAME: Ordering("learners:name", "name"),
    LearnerOrder.REGISTERED_AT: Ordering("learners:registered_at", "registered_at"),
}


@strawberry.input(description="Narrows a list of institutions; every condition given must hold.")
class InstitutionFilter:
    kind: InstitutionKind | None = strawberry.field(default=None, description="Only this kind.")
    city: str | None = strawberry.field(default=None, description="Only this city, exactly, e.g. 合肥.")
    name_contains: str | None = strawberry.field(
        default=None, description="Only names containing this text (case-insensitive, taken literally)."
    )


@strawberry.input(description="Narrows a list of courses; every condition given must hold.")
class CourseFilter:
    institution_id: strawberry.ID | None = strawberry.field(default=None, description="Only this institution's.")
    origin: CourseOrigin | None = strawberry.field(default=None, description="Only self-built, co-built or shared.")
    title_contains: str | None = strawberry.field(default=None, description="Only titles containing this text.")
    launched_in_year: int | None = strawberry.field(default=None, description="Only courses launched in this year.")


@strawberry.input(description="Narrows a list of learners; every condition given must hold.")
class LearnerFilter:
    institution_id: strawberry.ID | None = strawberry.field(default=None, description="Only this institution's.")
    name_contains: str | None = strawberry.field(default=None, description="Only names containing this text.")


@strawberry.type
class ParkQuery:
    @strawberry.field(description="One institution by id; null when no institution has that id.")
    def institution(self, info: Info, id: IdArg) -> Institution | None:
        oid = parse_id(IdPrefix.INSTITUTION, id)
        return load_one(loaders.institution_by_id(info.context.loaders), oid, Institution.from_doc)

    @strawberry.field(description="Institutions of the park, filtered and ordered.")
    async def institutions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            InstitutionFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
        order_by: Annotated[
            InstitutionOrder, strawberry.argument(description="How to order the institutions.")
        ] = InstitutionOrder.ID,
    ) -> Connection[Institution]:
        f = filter or InstitutionFilter()
        where = compact(
            kind=enum_value(f.kind),
            city=f.city,
            name=contains(f.name_contains, argument="filter.nameContains"),
        )
        return await find_connection(
            info.context.db,
            c.INSTITUTIONS,
            where=where,
            ordering=_INSTITUTION_ORDERINGS[order_by],
            first=first,
            after=after,
            to_node=Institution.from_doc,
            policy=info.context.loaders.policy,
        )

    @strawberry.field(description="One course by id; null when no course has that id.")
    def course(self, info: Info, id: IdArg) -> Course | None:
        oid = parse_id(IdPrefix.COURSE, id)
        return load_one(loaders.course_by_id(info.context.loaders), oid, Course.from_doc)

    @strawberry.field(description="Courses of the park, filtered and ordered (by default in the order added).")
    async def courses(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            CourseFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
        order_by: Annotated[CourseOrder, strawberry.argument(description="How to order the courses.")] = CourseOrder.ID,
    ) -> Connection[Course]:
        f = filter or CourseFilter()
        where = compact(
            institution_id=optional_id(IdPrefix.INSTITUTION, f.institution_id, argument="filter.institutionId"),
            origin=enum_value(f.origin),
            title=contains(f.title_contains, argument="filter.titleContains"),
            launched_at=year_range(f.launched_in_year, argument="filter.launchedInYear"),
        )
        return await find_connection(
            info.context.db,
            c.COURSES,
            where=where,
            ordering=_COURSE_ORDERINGS[order_by],
            first=first,
            after=after,
            to_node=Course.from_doc,
            policy=info.context.loaders.policy,
        )

    @strawberry.field(description="One learner by id; null when no learner has that id.")
    async def learner(self, info: Info, id: IdArg) -> Learner | None:
        oid = parse_id(IdPrefix.LEARNER, id)
        return await lookup(info, c.LEARNERS, loaders.learner_by_id(info.context.loaders), oid, Learner.from_doc)

    @strawberry.field(description="Learners, filtered and ordered (by default in the order added).")
    async def learners(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            LearnerFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
        order_by: Annotated[
            LearnerOrder, strawberry.argument(description="How to order the learners.")
        ] = LearnerOrder.ID,
    ) -> Connection[Learner]:
        f = filter or LearnerFilter()
        where = compact(
            institution_id=optional_id(IdPrefix.INSTITUTION, f.institution_id, argument="filter.institutionId"),
            name=contains(f.name_contains, argument="filter.nameContains"),
        )
        return await find_connection(
            info.context.db,
            c.LEARNERS,
            where=where,
            ordering=_LEARNER_ORDERINGS[order_by],
            first=first,
            after=after,
            to_node=Learner.from_doc,
            policy=info.context.loaders.policy,
        )
