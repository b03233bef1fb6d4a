"""GraphiQL at /graphql, served from the service's own files: it works with no network.

The browser tests run the real service as its own process and drive Debian's Chromium
(through playwright-core, from web/graphiql's lock file) with every request to another
origin aborted and recorded. The page's screenshots are kept in test-artifacts/:
graphiql.png (a contract query) and graphiql-subscription.png (live seats).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pymongo
import pytest
from conftest import CONTRACT_DIR, TEST_JWT_SECRET, Store, app_client, token_for
from graphql import OperationDefinitionNode, OperationType, parse
from services import free_port, start_edugraph, stop

from edugraph.auth import Role
from edugraph.graphiql.assets import VENDOR_FILES
from edugraph.graphiql.examples import contract_tabs
from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as c

REPO = Path(__file__).resolve().parents[1]
DRIVER = Path(__file__).with_name("graphiql_browser.mjs")
SCREENSHOT = REPO / "test-artifacts" / "graphiql.png"
SUBSCRIPTION_SCREENSHOT = REPO / "test-artifacts" / "graphiql-subscription.png"
SEATS = """subscription Seats($sessionId: ID!) {
  examSessionSeats(sessionId: $sessionId) { sessionId booked capacity remaining }
}"""
BROWSER_TIMEOUT_S = 120


@pytest.fixture(scope="module")
def service(store: Store) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "MONGODB_URI": store.uri,
        "MONGODB_DATABASE": store.database,
        "EDUGRAPH_JWT_SECRET": TEST_JWT_SECRET,
        "EDUGRAPH_GRAPHIQL": "true",
    }
    process = start_edugraph(port, env)
    try:
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        stop(process)


def first_document(store: Store, collection: str) -> dict[str, Any]:
    """A seeded document, read straight from the database."""
    with pymongo.MongoClient(store.uri, serverSelectionTimeoutMS=10_000) as mongo:
        doc: dict[str, Any] | None = mongo[store.database][collection].find_one({}, sort=[("_id", 1)])
    assert doc is not None
    return doc


@pytest.fixture(scope="module")
def institution(store: Store) -> dict[str, Any]:
    return first_document(store, c.INSTITUTIONS)


@pytest.fixture(scope="module")
def session(store: Store) -> dict[str, Any]:
    return first_document(store, c.EXAM_SESSIONS)


@pytest.fixture(scope="module")
def browser_run(service: str, institution: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    """One visit: type a token, run the InstitutionProfile tab with a real id, then a
    subscription in a new tab."""
    SCREENSHOT.parent.mkdir(exist_ok=True)
    for path in (SCREENSHOT, SUBSCRIPTION_SCREENSHOT):
        path.unlink(missing_ok=True)
    session_id = to_public_id(IdPrefix.EXAM_SESSION, session["_id"])
    job = {
        "url": service,
        "token": token_for(Role.PLATFORM_ADMIN, subject="admin"),
        "runs": [
            {
                "tab": "InstitutionProfile",
                "variables": {"id": to_public_id(IdPrefix.INSTITUTION, institution["_id"])},
                "expect": institution["name"],
                "screenshot": str(SCREENSHOT),
            },
            {
                "tab": "Seats",
                "query": SEATS,
                "variables": {"sessionId": session_id},
                "expect": f'"sessionId": "{session_id}"',
                "screenshot": str(SUBSCRIPTION_SCREENSHOT),
            },
        ],
    }
    done = subprocess.run(
        ["node", str(DRIVER), json.dumps(job)], capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=False
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    report["job"] = job
    return report


def test_the_page_runs_a_contract_operation_and_shows_its_result(
    browser_run: dict[str, Any], institution: dict[str, Any]
) -> None:
    run = browser_run["runs"][0]
    assert run["error"] is None, browser_run
    assert institution["name"] in run["response"]
    assert f'"id": "{browser_run["job"]["runs"][0]["variables"]["id"]}"' in run["response"]


def test_the_page_runs_a_subscription_over_a_websocket_to_the_service(
    browser_run: dict[str, Any], session: dict[str, Any], service: str
) -> None:
    run = browser_run["runs"][1]
    assert run["error"] is None, browser_run
    assert f'"remaining": {session["capacity"] - session["booked"]}' in run["response"]
    assert browser_run["sockets"] == [service.replace("http://", "ws://", 1)]


def test_the_page_makes_no_request_beyond_the_service(browser_run: dict[str, Any]) -> None:
    assert browser_run["local"], "the page was never requested"
    assert browser_run["external"] == []


def test_the_page_loads_react_and_graphiql_from_the_service(browser_run: dict[str, Any], service: str) -> None:
    origin = service.removesuffix("/graphql")
    assert {f"{origin}/graphiql/{name}" for name in VENDOR_FILES} <= set(browser_run["local"])
    assert browser_run["failed"] == []
    assert browser_run["pageErrors"] == []
    assert browser_run["consoleErrors"] == []


def test_the_page_sends_the_token_in_json_posts(browser_run: dict[str, Any]) -> None:
    (run,) = [op for op in browser_run["operations"] if op["operationName"] == "InstitutionProfile"]
    assert run["headers"]["authorization"] == f"Bearer {browser_run['job']['token']}"
    assert run["headers"]["content-type"] == "application/json"


def test_the_screenshots_are_kept_as_test_artifacts(browser_run: dict[str, Any]) -> None:
    assert SCREENSHOT.read_bytes().startswith(b"\x89PNG")
    assert SUBSCRIPTION_SCREENSHOT.read_bytes().startswith(b"\x89PNG")


def test_the_contract_operations_are_the_tabs_queries_first() -> None:
    operations = [parse(tab["query"]).definitions[0] for tab in contract_tabs()]
    assert all(isinstance(op, OperationDefinitionNode) and op.name for op in operations)
    names = [op.name.value for op in operations]
    kinds = [op.operation for op in operations]
    assert sorted(names) == sorted(path.stem for path in CONTRACT_DIR.glob("*.graphql"))
    assert kinds == sorted(kinds, key=lambda kind: kind is not OperationType.QUERY)
    assert kinds[-1] is OperationType.MUTATION


def test_a_tab_lists_the_variables_its_operation_declares() -> None:
    tab = next(tab for tab in contract_tabs() if "query InstitutionsDirectory" in tab["query"])
    assert json.loads(tab["variables"]) == {"first": None, "after": None}


async def test_without_its_files_the_page_says_how_to_install_them(store: Store, tmp_path: Path) -> None:
    async with app_client(store, EDUGRAPH_GRAPHIQL_ASSETS=tmp_path) as http:
        response = await http.get("/graphql", headers={"accept": "text/html"})
        assert response.status_code == 503
        assert "GraphiQL is not installed" in response.text
        assert "make install" in response.text
        assert "graphiql/graphiql.min.js" in response.text
        api = await http.post("/graphql", json={"query": "{ institutions(first: 1) { totalCount } }"})
        assert api.json() == {"data": {"institutions": {"totalCount": 140}}}


async def test_the_page_forbids_scripts_and_requests_to_other_origins(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "connect-src 'self';" in policy
    assert "https://" not in response.text


async def test_only_the_listed_files_are_served(client: httpx.AsyncClient) -> None:
    listed = await client.get("/graphiql/graphiql.min.js")
    assert listed.status_code == 200
    assert listed.headers["content-type"] == "text/javascript; charset=utf-8"
    for unlisted in ("/graphiql/package.json", "/graphiql/page.html", "/graphiql/..%2F..%2Fpyproject.toml"):
        assert (await client.get(unlisted)).status_code == 404, unlisted


async def test_an_unchanged_file_is_not_sent_again(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphiql/react.production.min.js")
    again = await client.get("/graphiql/react.production.min.js", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_without_graphiql_its_files_are_not_served(store: Store) -> None:
    async with app_client(store, EDUGRAPH_GRAPHIQL=False) as http:
        assert (await http.get("/graphiql/graphiql.min.js")).status_code == 404
        assert (await http.get("/graphql", headers={"accept": "text/html"})).status_code == 404
