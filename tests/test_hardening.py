"""The attack suite: every attack gets a clear error, leaks nothing, and service goes on."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx
import jwt
import pytest
from conftest import Store, app_client
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from services import serving_http

from edugraph.auth import Role, development_token
from edugraph.config import Settings

SECRET = "test-development-secret-0123456789abcdef"
VIEWER = "{ viewer { role subject institution } }"
SIMPLE = "{ institutions(first: 1) { totalCount } }"


def post(query: str, **extra: Any) -> dict[str, Any]:
    return {"json": {"query": query, **extra}}


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": "edugraph", "aud": "edugraph-api", "sub": "lrn_1", "role": "learner", "nbf": now, "exp": now + 600}
    return {**base, **overrides}


def code_of(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


@pytest.fixture
async def dev(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(store, EDUGRAPH_JWT_SECRET=SECRET, EDUGRAPH_MAX_DEPTH=8, EDUGRAPH_MAX_ALIASES=20) as http:
        yield http


@pytest.fixture
async def production(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(store, EDUGRAPH_ENV="production", EDUGRAPH_JWT_SECRET=SECRET) as http:
        yield http


# -- Tokens ---------------------------------------------------------------------------


async def test_a_valid_development_token_identifies_the_caller(dev: httpx.AsyncClient) -> None:
    settings = Settings(EDUGRAPH_JWT_SECRET=SECRET)
    token = development_token(settings, role=Role.INSTITUTION_ADMIN, subject="u1", institution="ins_1")
    response = await dev.post("/graphql", headers={"authorization": f"Bearer {token}"}, **post(VIEWER))
    assert response.json()["data"]["viewer"] == {"role": "INSTITUTION_ADMIN", "subject": "u1", "institution": "ins_1"}


async def test_no_token_is_anonymous(dev: httpx.AsyncClient) -> None:
    response = await dev.post("/graphql", **post(VIEWER))
    assert response.json()["data"]["viewer"]["role"] == "ANONYMOUS"


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("expired", lambda: jwt.encode(claims(exp=int(time.time()) - 60), SECRET, algorithm="HS256")),
        ("not yet valid", lambda: jwt.encode(claims(nbf=int(time.time()) + 600), SECRET, algorithm="HS256")),
        ("wrong audience", lambda: jwt.encode(claims(aud="someone-else"), SECRET, algorithm="HS256")),
        ("wrong issuer", lambda: jwt.encode(claims(iss="evil"), SECRET, algorithm="HS256")),
        ("forged", lambda: jwt.encode(claims(), "not-the-secret-but-long-enough-to-sign", algorithm="HS256")),
        ("unsigned", lambda: jwt.encode(claims(), None, algorithm="none")),
        ("unknown role", lambda: jwt.encode(claims(role="root"), SECRET, algorithm="HS256")),
        ("garbage", lambda: "not.a.token"),
    ],
)
async def test_a_bad_token_is_refused_with_401(dev: httpx.AsyncClient, name: str, token: Any) -> None:
    response = await dev.post("/graphql", headers={"authorization": f"Bearer {token()}"}, **post(VIEWER))
    assert response.status_code == 401, name
    assert code_of(response) == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_non_bearer_authorization_is_refused(dev: httpx.AsyncClient) -> None:
    response = await dev.post("/graphql", headers={"authorization": "Basic dXNlcjpwYXNz"}, **post(VIEWER))
    assert response.status_code == 401


async def test_production_refuses_development_tokens(production: httpx.AsyncClient) -> None:
    token = jwt.encode(claims(), SECRET, algorithm="HS256")
    response = await production.post("/graphql", headers={"authorization": f"Bearer {token}"}, **post(VIEWER))
    assert response.status_code == 401


@pytest.fixture
def jwks_server() -> Iterator[tuple[str, Any]]:
    """The identity provider's JWKS, served on loopback."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    with serving_http(Handler) as url:
        yield f"{url}/jwks.json", key


async def test_rs256_tokens_are_verified_against_the_jwks(store: Store, jwks_server: tuple[str, Any]) -> None:
    url, key = jwks_server
    token = jwt.encode(claims(role="partner", sub="jiangxi"), key, algorithm="RS256", headers={"kid": "k1"})
    async with app_client(store, EDUGRAPH_ENV="production", EDUGRAPH_JWT_JWKS_URL=url) as http:
        response = await http.post("/graphql", headers={"authorization": f"Bearer {token}"}, **post(VIEWER))
        assert response.json()["data"]["viewer"]["role"] == "PARTNER"
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = jwt.encode(claims(role="platform_admin"), other, algorithm="RS256", headers={"kid": "k1"})
        refused = await http.post("/graphql", headers={"authorization": f"Bearer {forged}"}, **post(VIEWER))
        assert refused.status_code == 401


# -- Document limits --------------------------------------------------------------------


async def test_a_deep_query_is_refused(dev: httpx.AsyncClient) -> None:
    deep = (
        "{ institutions(first: 1) { nodes { courses(first: 1) { nodes { institution { courses(first: 1) { nodes {"
        " institution { courses(first: 1) { nodes { id } } } } } } } } } } }"
    )
    response = await dev.post("/graphql", **post(deep))
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"
    assert "depth" in response.json()["errors"][0]["message"]


async def test_an_alias_bomb_is_refused(dev: httpx.AsyncClient) -> None:
    bomb = "{ " + " ".join(f"a{i}: institutions(first: 1) {{ totalCount }}" for i in range(200)) + " }"
    response = await dev.post("/graphql", **post(bomb))
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"


async def test_a_10000_token_document_is_refused(dev: httpx.AsyncClient) -> None:
    huge = "{ " + " ".join("__typename" for _ in range(10_000)) + " }"
    response = await dev.post("/graphql", **post(huge))
    assert code_of(response) == "GRAPHQL_PARSE_FAILED"


async def test_a_fragment_cycle_is_refused(dev: httpx.AsyncClient) -> None:
    cycle = (
        "query { institutions { nodes { ...A } } } "
        "fragment A on Institution { courses { nodes { institution { ...B } } } } "
        "fragment B on Institution { ...A }"
    )
    response = await dev.post("/graphql", **post(cycle))
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"


async def test_huge_nested_pages_are_refused_by_cost(dev: httpx.AsyncClient) -> None:
    costly = (
        "{ institutions(first: 100) { nodes { courses(first: 100) { nodes {"
        " resources(first: 100) { nodes { id } } } } } } }"
    )
    response = await dev.post("/graphql", **post(costly))
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["extensions"]["cost"] > error["extensions"]["maxCost"]


async def test_a_huge_first_is_bad_user_input(dev: httpx.AsyncClient) -> None:
    response = await dev.post("/graphql", **post("{ institutions(first: 1000000) { totalCount } }"))
    assert code_of(response) in {"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}


async def test_a_body_over_the_limit_is_413(store: Store) -> None:
    async with app_client(store, EDUGRAPH_MAX_BODY_BYTES=2000) as http:
        response = await http.post("/graphql", **post("{ __typename }", padding="x" * 5000))
        assert response.status_code == 413
        assert code_of(response) == "PAYLOAD_TOO_LARGE"


async def test_a_request_over_the_time_limit_is_stopped(store: Store) -> None:
    async with app_client(store, EDUGRAPH_REQUEST_TIMEOUT_S=0.001, EDUGRAPH_STATISTICS_TTL_S=0) as http:
        response = await http.post("/graphql", **post("{ statistics(year: 2023) { park { learners { value } } } }"))
        assert response.status_code == 503
        assert code_of(response) == "TIMEOUT"


# -- Production mode ---------------------------------------------------------------------


async def test_production_refuses_introspection(production: httpx.AsyncClient) -> None:
    response = await production.post("/graphql", **post("{ __schema { types { name } } }"))
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"
    assert "Institution" not in response.text


async def test_production_serves_no_graphiql(production: httpx.AsyncClient) -> None:
    response = await production.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 404


async def test_production_gives_no_field_suggestions(production: httpx.AsyncClient) -> None:
    response = await production.post("/graphql", **post("{ institutions { nodes { nme } } }"))
    assert code_of(response) == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in response.text


async def test_development_still_suggests_fields(dev: httpx.AsyncClient) -> None:
    response = await dev.post("/graphql", **post("{ institutions { nodes { nme } } }"))
    assert "Did you mean" in response.text


async def test_an_unexpected_error_is_generic_with_a_request_id(
    production: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from edugraph.store import statistics

    async def boom(*args: Any) -> Any:
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(statistics, "park_figures", boom)
    query = "{ statistics(year: 2023) { park { learners { value } } } }"
    response = await production.post("/graphql", headers={"x-request-id": "req-42"}, **post(query))
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "hunter2" not in response.text
    assert response.headers["x-request-id"] == "req-42"


# -- GraphQL over HTTP ---------------------------------------------------------------------


async def test_graphql_response_json_is_served_to_clients_that_accept_it(dev: httpx.AsyncClient) -> None:
    accept = {"accept": "application/graphql-response+json"}
    ok = await dev.post("/graphql", headers=accept, **post(SIMPLE))
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/graphql-response+json")
    invalid = await dev.post("/graphql", headers=accept, **post("{ nope }"))
    assert invalid.status_code == 400
    assert "data" not in invalid.json()


async def test_cors_allows_only_the_configured_origins(store: Store) -> None:
    async with app_client(store, EDUGRAPH_CORS_ORIGINS=["https://app.example"]) as http:
        preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
        allowed = await http.options("/graphql", headers={"origin": "https://app.example", **preflight})
        assert allowed.headers.get("access-control-allow-origin") == "https://app.example"
        denied = await http.options("/graphql", headers={"origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in denied.headers


async def test_the_service_keeps_serving_after_the_attacks(dev: httpx.AsyncClient) -> None:
    for attack in ("{ " * 500, "{ institutions(first: -5) { totalCount } }", "query { ...X }"):
        await dev.post("/graphql", **post(attack))
    response = await dev.post("/graphql", **post(SIMPLE))
    assert response.json() == {"data": {"institutions": {"totalCount": 140}}}
