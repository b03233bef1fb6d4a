"""Root queries of the dashboard's yearly figures, and of the caller themselves."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.context import Info
from edugraph.resolvers.filters import check_year
from edugraph.schema.statistics import YearlyStatistics
from edugraph.schema.viewer import ViewerInfo, viewer_role


@strawberry.type
class StatisticsQuery:
    @strawberry.field(description="The caller, as the API understands their bearer token (anonymous without one).")
    def viewer(self, info: Info) -> ViewerInfo:
        viewer = info.context.viewer
        return ViewerInfo(
            role=viewer_role(viewer.role),
            subject=viewer.subject,
            institution=viewer.institution,
            province=viewer.province,
        )

    @strawberry.field(
        description="Headline figures of one year across the four domains, each with the previous year's value."
    )
    def statistics(
        self, year: Annotated[int, strawberry.argument(description="The calendar year, e.g. 2023.")]
    ) -> YearlyStatistics:
        return YearlyStatistics(year=check_year(year, argument="year"))
