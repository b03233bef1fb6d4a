"""The HTTP surface: POST and GET, GraphiQL, probes, UTF-8 JSON and error codes."""

from __future__ import annotations

import gc
import json
from typing import Any

import httpx
import pytest
from conftest import GraphQLClient, token_for
from strawberry.http.async_base_view import AsyncBaseHTTPView

from edugraph.auth import Role
from edugraph.server import GC_YOUNG_THRESHOLD, GraphQLApp, tune_garbage_collection

PREFLIGHT = {"graphql-require-preflight": "1"}


async def test_get_runs_a_query(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "{ institutions(first: 1) { totalCount } }"}, headers=PREFLIGHT
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"institutions": {"totalCount": 140}}}


async def test_get_without_a_preflight_header_is_refused_as_csrf(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ institutions(first: 1) { totalCount } }"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTION"


async def test_a_form_post_without_a_preflight_header_is_refused_as_csrf(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b"query={__typename}", headers={"content-type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREVENTION"


async def test_get_refuses_a_mutation_with_405(client: httpx.AsyncClient) -> None:
    query = 'mutation { cancelExamBooking(input: {bookingId: "bkg_000000000000000000000000"}) { errors { code } } }'
    response = await client.get("/graphql", params={"query": query}, headers=PREFLIGHT)
    assert response.status_code == 405
    assert coded(response) == ("METHOD_NOT_ALLOWED", "Mutations are only accepted over POST.")


def coded(response: httpx.Response) -> tuple[str, str]:
    """The code and message of a JSON error response's one error."""
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    return error["extensions"]["code"], error["message"]


async def test_a_post_without_a_query_is_a_400_coded_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"variables": {}})
    assert response.status_code == 400
    assert coded(response) == ("BAD_REQUEST", "No GraphQL query found in the request")


async def test_a_query_that_is_not_a_string_is_a_400_coded_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": ["{ __typename }"]})
    assert response.status_code == 400
    assert coded(response)[0] == "BAD_REQUEST"


async def test_an_unknown_path_is_a_404_coded_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphq1")
    assert response.status_code == 404
    assert coded(response) == ("NOT_FOUND", "Not Found")


async def test_a_method_graphql_does_not_take_is_a_405_coded_method_not_allowed(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    assert coded(response)[0] == "METHOD_NOT_ALLOWED"
    assert {"GET", "POST"} <= set(response.headers["allow"].split(", "))


async def test_a_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_chinese_text_is_sent_as_utf8_not_escaped(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": '{ institutions(first: 1, filter: {nameContains: "安徽开放大学"}) { nodes { name } } }'},
    )
    assert "安徽开放大学".encode() in response.content
    assert b"\\u" not in response.content
    assert response.headers["content-type"].startswith("application/json")


async def test_healthz_says_the_process_is_up(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_says_mongodb_is_reachable(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "ready")


async def test_a_syntax_error_is_coded_parse_failed(gql: GraphQLClient) -> None:
    assert await gql.error_codes("{ institutions(first: 1) { ") == ["GRAPHQL_PARSE_FAILED"]


async def test_an_unknown_field_is_coded_validation_failed(gql: GraphQLClient) -> None:
    assert await gql.error_codes("{ institutions { nodes { nickname } } }") == ["GRAPHQL_VALIDATION_FAILED"]


async def test_a_variable_of_the_wrong_type_is_bad_user_input(gql: GraphQLClient) -> None:
    codes = await gql.error_codes("query($first: Int) { institutions(first: $first) { totalCount } }", {"first": "ten"})
    assert codes == ["BAD_USER_INPUT"]


async def test_a_missing_required_variable_is_bad_user_input(gql: GraphQLClient) -> None:
    assert await gql.error_codes("query($id: ID!) { institution(id: $id) { id } }") == ["BAD_USER_INPUT"]


async def test_a_body_that_is_not_json_is_a_400_coded_bad_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert coded(response) == ("BAD_REQUEST", "Unable to parse request body as JSON")


async def test_errors_are_listed_in_the_order_of_their_fields_in_the_document(gql: GraphQLClient) -> None:
    # The learner's error comes after a database round trip, the course's at once: in the
    # order they happen, the course's would be first.
    body = await gql.as_(None).execute(
        '{ learner(id: "lrn_659200800202000000000001") { name } course(id: "x") { id } }'
    )
    assert [error["path"] for error in body["errors"]] == [["learner"], ["course"]]


async def test_a_started_app_collects_young_garbage_no_more_often_than_every_10000_allocations(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/healthz")).status_code == 200
    assert gc.get_threshold()[0] >= GC_YOUNG_THRESHOLD == 10_000


def test_tuning_never_makes_collections_more_frequent() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(50_000, 7, 9)
        tune_garbage_collection()
        assert gc.get_threshold() == (50_000, 7, 9)
    finally:
        gc.set_threshold(*before)


JSON = "application/json"
TYPENAME = {"query": "{ __typename }"}
# (body, content type, accept, read by the guard's decoding rather than by Strawberry's)
BODIES: list[tuple[Any, str, str, bool]] = [
    (TYPENAME, JSON, "", True),
    ({"query": "query Q($n: Int) { __typename }", "variables": {"n": 1}, "operationName": "Q"}, JSON, "", True),
    (TYPENAME, "application/json; charset=utf-8", "application/graphql-response+json", True),
    ({"query": 5}, JSON, "", True),
    ({"query": "{ __typename }", "variables": [1]}, JSON, "", True),
    ({"query": "{ __typename }", "extensions": "x"}, JSON, "", True),
    ({"query": None}, JSON, "", True),
    ({"variables": {}}, JSON, "", True),
    ({"query": "{ __typename }", "operationName": 7}, JSON, "", True),
    ([TYPENAME], JSON, "", False),
    ("{ __typename }", JSON, "", False),
    (TYPENAME, "Application/JSON", "", False),
    (TYPENAME, JSON, "multipart/mixed;subscriptionSpec=1.0, application/json", False),
    (TYPENAME, JSON, "text/event-stream", False),
]


@pytest.mark.parametrize(("body", "content_type", "accept", "fast"), BODIES)
async def test_a_json_posts_operation_is_read_once_and_answered_as_strawberry_answers_it(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    body: Any,
    content_type: str,
    accept: str,
    fast: bool,
) -> None:
    headers = {"content-type": content_type, "authorization": f"Bearer {token_for(Role.PLATFORM_ADMIN, subject='a')}"}
    if accept:
        headers["accept"] = accept
    content = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    strawberrys = AsyncBaseHTTPView.parse_http_body
    read_by_strawberry: list[object] = []

    async def counted(view: Any, request: Any) -> Any:
        read_by_strawberry.append(request)
        return await strawberrys(view, request)

    monkeypatch.setattr(AsyncBaseHTTPView, "parse_http_body", counted)
    ours = await client.post("/graphql", content=content, headers=headers)
    assert len(read_by_strawberry) == (0 if fast else 1)
    monkeypatch.setattr(GraphQLApp, "parse_http_body", strawberrys)
    theirs = await client.post("/graphql", content=content, headers=headers)
    assert (ours.status_code, ours.headers.get("content-type"), ours.content) == (
        theirs.status_code,
        theirs.headers.get("content-type"),
        theirs.content,
    )
