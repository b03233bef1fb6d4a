"""Root queries of the alliances: alliances and degree foreign-language exam sessions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.ids import IdPrefix, parse_id
from edugraph.loaders import alliance as loaders
from edugraph.resolvers.filters import check_year, compact, contains, enum_value
from edugraph.resolvers.paging import Ordering, find_connection
from edugraph.schema.alliance import Alliance, AllianceKind, ExamSeason, ExamSession
from edugraph.schema.arguments import After, First, IdArg
from edugraph.schema.pagination import Connection
from edugraph.schema.relations import load_one
from edugraph.store import collections as c

MAX_SESSIONS_PER_YEAR = 500


@strawberry.input(description="Narrows a list of alliances; every condition given must hold.")
class AllianceFilter:
    kind: AllianceKind | None = strawberry.field(default=None, description="Only this kind of alliance.")
    province: str | None = strawberry.field(
        default=None, description="Only alliances this province takes part in, e.g. 江西."
    )
    name_contains: str | None = strawberry.field(default=None, description="Only names containing this text.")


@strawberry.type
class AllianceQuery:
    @strawberry.field(description="One alliance by id; null when none has that id.")
    def alliance(self, info: Info, id: IdArg) -> Alliance | None:
        oid = parse_id(IdPrefix.ALLIANCE, id)
        return load_one(loaders.alliance_by_id(info.context.loaders), oid, Alliance.from_doc)

    @strawberry.field(description="Alliances of universities, in the order they were recorded.")
    async def alliances(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            AllianceFilter | None, strawberry.argument(description="Conditions the items must meet.")
        ] = None,
    ) -> Connection[Alliance]:
        f = filter or AllianceFilter()
        where = compact(
            kind=enum_value(f.kind),
            provinces=f.province,
            name=contains(f.name_contains, argument="filter.nameContains"),
        )
        return await find_connection(
            info.context.db,
            c.ALLIANCES,
            where=where,
            ordering=Ordering("alliances:id", None),
            first=first,
            after=after,
            to_node=Alliance.from_doc,
            policy=info.context.loaders.policy,
        )

    @strawberry.field(description="One exam session by id; null when none has that id.")
    def exam_session(self, info: Info, id: IdArg) -> ExamSession | None:
        oid = parse_id(IdPrefix.EXAM_SESSION, id)
        return load_one(loaders.exam_session_by_id(info.context.loaders), oid, ExamSession.from_doc)

    @strawberry.field(
        description=(
            "The degree foreign-language exam sessions (学位外语考试) of one year, spring first, "
            "with their seats: a year has a few dozen, so this is a plain list."
        )
    )
    async def exam_sessions(
        self,
        info: Info,
        year: Annotated[int, strawberry.argument(description="The exam year, e.g. 2023.")],
        season: Annotated[ExamSeason | None, strawberry.argument(description="Only this sitting.")] = None,
    ) -> list[ExamSession]:
        where = compact(year=check_year(year, argument="year"), season=enum_value(season))
        cursor = info.context.db[c.EXAM_SESSIONS].find(
            where, sort=[("season", -1), ("_id", 1)], limit=MAX_SESSIONS_PER_YEAR, batch_size=MAX_SESSIONS_PER_YEAR
        )
        return [ExamSession.from_doc(doc) async for doc in cursor]
