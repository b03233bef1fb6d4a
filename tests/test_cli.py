"""The edugraph command."""

from __future__ import annotations

import subprocess
import sys

import jwt

from edugraph.schema import schema_sdl


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edugraph", *args], capture_output=True, text=True, timeout=120)


def test_export_schema_prints_the_sdl() -> None:
    result = run("export-schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema_sdl()


def test_seed_without_a_database_uri_explains_what_to_do() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "edugraph", "seed"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin"},
    )
    assert result.returncode == 2
    assert "MONGODB_URI" in result.stderr


def test_an_unknown_command_is_refused() -> None:
    result = run("launch")
    assert result.returncode == 2


def test_token_prints_a_development_token_where_the_secret_is_set() -> None:
    secret = "cli-test-secret-0123456789abcdef0123"
    result = subprocess.run(
        [sys.executable, "-m", "edugraph", "token", "--role", "learner", "--subject", "lrn_1"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin", "EDUGRAPH_JWT_SECRET": secret},
    )
    assert result.returncode == 0, result.stderr
    claims = jwt.decode(result.stdout.strip(), secret, algorithms=["HS256"], audience="edugraph-api")
    assert (claims["role"], claims["sub"]) == ("learner", "lrn_1")


def test_token_refuses_without_a_development_secret() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "edugraph", "token", "--role", "learner"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin"},
    )
    assert result.returncode == 2
    assert "EDUGRAPH_JWT_SECRET" in result.stderr
