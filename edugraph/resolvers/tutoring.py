"""Root queries of self-study-exam tutoring: majors and tutoring courses."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix, optional_id, parse_id
from edugraph.loaders import tutoring as loaders
from edugraph.resolvers.filters import compact, contains, enum_value
from edugraph.resolvers.paging import Ordering, find_connection
from edugraph.schema.arguments import After, First, IdArg
from edugraph.schema.pagination import Connection
from edugraph.schema.relations import load_one
from edugraph.schema.tutoring import Major, MajorLevel, TutoringCourse
from edugraph.store import collections as c


@strawberry.input(description="Narrows a list of majors; every condition given must hold.")
class MajorFilter:
    level: MajorLevel | None = strawberry.field(default=None, description="Only this level.")
    chief_university_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only majors examined by this chief examination university."
    )
    name_contains: str | None = strawberry.field(default=None, description="Only names containing this text.")


@strawberry.type
class TutoringQuery:
    @strawberry.field(description="One self-study exam major by id; null when none has that id.")
    def major(self, info: Info, id: IdArg) -> Major | None:
        oid = parse_id(IdPrefix.MAJOR, id)
        return load_one(loaders.major_by_id(info.context.loaders), oid, Major.from_doc)

    @strawberry.field(description="Self-study exam majors with tutoring (自考助学专业).")
    async def majors(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            MajorFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
    ) -> Connection[Major]:
        f = filter or MajorFilter()
        where = compact(
            level=enum_value(f.level),
            chief_institution_id=optional_id(
                IdPrefix.INSTITUTION, f.chief_university_id, argument="filter.chiefUniversityId"
            ),
            name=contains(f.name_contains, argument="filter.nameContains"),
        )
        return await find_connection(
            info.context.db,
            c.MAJORS,
            where=where,
            ordering=Ordering("majors:id", None),
            first=first,
            after=after,
            to_node=Major.from_doc,
            policy=info.context.loaders.policy,
        )

    @strawberry.field(description="One tutoring course by id; null when none has that id.")
    def tutoring_course(self, info: Info, id: IdArg) -> TutoringCourse | None:
        oid = parse_id(IdPrefix.TUTORING_COURSE, id)
        return load_one(loaders.tutoring_course_by_id(info.context.loaders), oid, TutoringCourse.from_doc)
