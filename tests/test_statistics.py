"""statistics(year) reproduces the brief's figures at the seed's scale."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import GraphQLClient, Store, app_client, contract
from pymongo import ReadPreference

from edugraph.store.connection import for_statistics
from edugraph.store.seed import scaled_figures
from edugraph.store.seed.figures import CENTRES_BY_KIND

# Growth rates the brief states, to the precision it states them.
BRIEF_GROWTH = {
    "park.resources": 0.2379,
    "park.visits": 0.28,
    "creditBank.accounts": 0.2492,
    "creditBank.learningOutcomes": 0.3524,
    "alliance.degreeLanguageExamCandidates": 0.28,
    "alliance.degreeLanguageCoursePurchases": 0.066,
}
EXACT_2023 = {
    "park.institutions": 140,
    "creditBank.certificationCentres": 111,
    "alliance.publicEnglishMembers": 45,
    "alliance.cooperationMembers": 64,
    "alliance.degreeLanguageExamUniversities": 40,
    "tutoring.chiefUniversities": 4,
    "tutoring.majors": 12,
    "tutoring.courses": 116,
}


async def figures_2023(gql: GraphQLClient) -> dict[str, dict[str, float | None]]:
    data = await gql.data(contract("YearlyStatistics"), {"year": 2023})
    flat: dict[str, dict[str, float | None]] = {}
    for domain, figures in data["statistics"].items():
        if isinstance(figures, dict):
            for name, figure in figures.items():
                if isinstance(figure, dict):
                    flat[f"{domain}.{name}"] = figure
    return flat


async def test_small_counts_of_the_brief_are_exact(gql: GraphQLClient) -> None:
    figures = await figures_2023(gql)
    assert {name: figures[name]["value"] for name in EXACT_2023} == EXACT_2023


async def test_every_figure_matches_the_seeded_scale_for_both_years(gql: GraphQLClient, store: Store) -> None:
    figures = await figures_2023(gql)
    expected = scaled_figures(store.scale)
    assert set(figures) == set(expected)
    for name, figure in expected.items():
        assert (figures[name]["value"], figures[name]["previousValue"]) == (figure.value, figure.previous), name


async def test_growth_is_value_over_previous_minus_one(gql: GraphQLClient) -> None:
    for name, figure in (await figures_2023(gql)).items():
        value, previous = figure["value"], figure["previousValue"]
        assert value is not None
        assert previous
        assert figure["growth"] == pytest.approx(value / previous - 1), name


async def test_growth_rates_come_out_as_the_brief_states_them(gql: GraphQLClient, store: Store) -> None:
    figures = await figures_2023(gql)
    for name, growth in BRIEF_GROWTH.items():
        previous = figures[name]["previousValue"]
        assert previous
        # At a reduced scale counts are integers, so the rate is exact up to one unit of the previous year.
        assert figures[name]["growth"] == pytest.approx(growth, abs=1.0 / previous), name


async def test_certification_centres_split_77_17_4_13(gql: GraphQLClient) -> None:
    data = await gql.data("{ statistics(year: 2023) { creditBank { certificationCentresByKind { kind count } } } }")
    by_kind = {row["kind"]: row["count"] for row in data["statistics"]["creditBank"]["certificationCentresByKind"]}
    assert by_kind == {"UNIVERSITY": 77, "LOCAL": 17, "SECONDARY_VOCATIONAL_PILOT": 4, "SUB_CENTRE": 13}


async def test_certification_centres_by_kind_follow_the_seed_in_2022(gql: GraphQLClient) -> None:
    data = await gql.data("{ statistics(year: 2022) { creditBank { certificationCentresByKind { kind count } } } }")
    by_kind = {row["kind"]: row["count"] for row in data["statistics"]["creditBank"]["certificationCentresByKind"]}
    assert by_kind == {kind: figure.previous for kind, figure in CENTRES_BY_KIND.items()}


async def test_previous_year_is_reported_for_2022_against_2021(gql: GraphQLClient, store: Store) -> None:
    data = await gql.data("{ statistics(year: 2022) { park { institutions { value } } } }")
    assert (
        data["statistics"]["park"]["institutions"]["value"] == scaled_figures(store.scale)["park.institutions"].previous
    )


async def test_a_year_out_of_range_is_bad_user_input(gql: GraphQLClient) -> None:
    assert await gql.error_codes("{ statistics(year: 12023) { year } }") == ["BAD_USER_INPUT"]


def test_statistics_read_with_the_configured_read_preference(db: Any) -> None:
    assert for_statistics(db, "secondaryPreferred").read_preference == ReadPreference.SECONDARY_PREFERRED
    assert for_statistics(db, "primary").read_preference == ReadPreference.PRIMARY


async def test_figures_read_from_secondaries_where_preferred_are_the_same(gql: GraphQLClient, store: Store) -> None:
    query, variables = contract("YearlyStatistics"), {"year": 2023}
    async with app_client(store, EDUGRAPH_STATISTICS_READ_PREFERENCE="secondaryPreferred") as http:
        preferred = await GraphQLClient(http, None).data(query, variables)
    assert preferred == await gql.as_(None).data(query, variables)
