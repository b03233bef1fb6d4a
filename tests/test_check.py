"""`edugraph check`: settings and connectivity, said plainly before a deployment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import Store

from edugraph.config import settings_table


def check(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EDUGRAPH_", "MONGODB_"))}
    return subprocess.run(
        [sys.executable, "-m", "edugraph", "check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**clean, **env},
    )


def lines_of(result: subprocess.CompletedProcess[str], level: str) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith(level)]


def test_a_reachable_database_passes_and_says_how_live_seats_will_work(store: Store, tmp_path: Path) -> None:
    result = check(tmp_path, MONGODB_URI=store.uri, MONGODB_DATABASE=store.database)
    assert result.returncode == 0, result.stdout
    assert lines_of(result, "FAIL") == []
    assert any("MongoDB answers" in line for line in lines_of(result, "ok"))
    assert any("poll every 0.5 s" in line for line in lines_of(result, "ok"))


def test_each_invalid_setting_is_named_by_its_variable(tmp_path: Path) -> None:
    result = check(tmp_path, EDUGRAPH_MAX_DEPTH="0", EDUGRAPH_LIVE_SEATS="sometimes")
    assert result.returncode == 1
    failures = lines_of(result, "FAIL")
    assert [line.split()[2] for line in failures] == ["EDUGRAPH_MAX_DEPTH:", "EDUGRAPH_LIVE_SEATS:"]


def test_an_unreachable_database_fails_without_showing_its_password(tmp_path: Path) -> None:
    result = check(tmp_path, MONGODB_URI="mongodb://ops:s3cret@127.0.0.1:1/", MONGODB_TIMEOUT_MS="300")
    assert result.returncode == 1
    assert any("cannot reach MongoDB at mongodb://ops:***@127.0.0.1:1/" in line for line in lines_of(result, "FAIL"))
    assert "s3cret" not in result.stdout + result.stderr


def test_production_without_an_identity_provider_or_hash_key_fails(tmp_path: Path) -> None:
    result = check(tmp_path, EDUGRAPH_ENV="production")
    assert result.returncode == 1
    assert {line.split()[1] for line in lines_of(result, "FAIL")} == {"tokens", "secrets"}


def test_change_streams_demanded_where_the_server_has_none_fail(store: Store, tmp_path: Path) -> None:
    result = check(
        tmp_path, MONGODB_URI=store.uri, MONGODB_DATABASE=store.database, EDUGRAPH_LIVE_SEATS="change_stream"
    )
    assert result.returncode == 1
    assert any("refuses change streams" in line for line in lines_of(result, "FAIL"))


def test_the_embedded_default_is_checked_without_creating_anything(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "the first start seeds the demo data" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_missing_graphiql_files_are_a_warning_not_a_failure(tmp_path: Path) -> None:
    result = check(tmp_path, EDUGRAPH_GRAPHIQL_ASSETS=str(tmp_path))
    assert result.returncode == 0, result.stdout
    (warning,) = [line for line in lines_of(result, "warn") if "graphiql" in line]
    assert f"missing from {tmp_path}" in warning


def test_the_readme_lists_every_setting(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "run `edugraph settings` and paste its table into the README"
