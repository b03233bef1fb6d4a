"""Pages fetch only the document fields their selection reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from conftest import GraphQLClient, Store, settings_for, token_for
from graphql import parse
from pymongo import monitoring

from edugraph.auth import Role
from edugraph.schema.park import RESOURCE_FIELDS
from edugraph.schema.projection import _compute
from edugraph.server import create_app


@dataclass
class Pipelines(monitoring.CommandListener):
    """The aggregation pipelines sent, by collection."""

    sent: dict[str, list[Any]] = field(default_factory=dict)

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "aggregate":
            self.sent[event.command["aggregate"]] = event.command["pipeline"]

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def selection(query: str) -> tuple[str, ...] | None:
    document = parse(query)
    operation = document.definitions[0]
    fragments = {d.name.value: d for d in document.definitions[1:]}  # type: ignore[attr-defined]
    (resources,) = operation.selection_set.selections  # type: ignore[attr-defined]
    return _compute([resources], fragments, RESOURCE_FIELDS)


def test_the_projection_reads_nodes_edges_and_fragments() -> None:
    query = "{ resources { nodes { id ...K } edges { node { addedAt } cursor } totalCount } } fragment K on R { kind }"
    assert selection(query) == ("_id", "added_at", "kind")


def test_a_field_the_type_does_not_list_means_the_whole_document() -> None:
    assert selection("{ resources { nodes { id somethingNew } } }") is None


async def test_a_page_of_resources_fetches_only_what_is_selected(store: Store) -> None:
    pipelines = Pipelines()
    query = "{ courses(first: 2) { nodes { resources(first: 3) { nodes { id kind } } } } }"

    app = create_app(settings_for(store), event_listeners=[pipelines])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edugraph.test") as http:
            headers = {"authorization": f"Bearer {token_for(Role.PLATFORM_ADMIN)}"}
            response = await http.post("/graphql", json={"query": query}, headers=headers)
    assert "errors" not in response.json()
    group = pipelines.sent["course_resources"][-1]["$group"]
    assert set(group["documents"]["$firstN"]["input"]) == {"_id", "kind"}


async def test_a_projected_page_never_answers_a_lookup_by_id(gql: GraphQLClient) -> None:
    """The courses of the page are fetched as ids only; their resources' course is then
    looked up whole, not taken from the projected page."""
    data = await gql.data(
        "{ institutions(first: 3) { nodes { courses(first: 2) { nodes { id"
        " resources(first: 1) { nodes { course { id title launchedAt } } } } } } } }"
    )
    courses = [
        resource["course"]
        for institution in data["institutions"]["nodes"]
        for course in institution["courses"]["nodes"]
        for resource in course["resources"]["nodes"]
    ]
    assert courses
    assert all(isinstance(c["title"], str) and isinstance(c["launchedAt"], str) for c in courses)
