"""Root query of the dashboard's yearly figures."""

from __future__ import annotations

from typing import Annotated

import strawberry

from edugraph.resolvers.filters import check_year
from edugraph.schema.statistics import YearlyStatistics


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        description="Headline figures of one year across the four domains, each with the previous year's value."
    )
    def statistics(
        self, year: Annotated[int, strawberry.argument(description="The calendar year, e.g. 2023.")]
    ) -> YearlyStatistics:
        return YearlyStatistics(year=check_year(year, argument="year"))
