"""The deployment guide's evidence: every test it cites exists."""

from __future__ import annotations

import re
from pathlib import Path


def defined_tests(tests: Path) -> set[str]:
    names = set()
    for module in tests.glob("test_*.py"):
        names |= set(re.findall(r"^(?:async )?def (test_\w+)", module.read_text(encoding="utf-8"), re.MULTILINE))
    return names


def test_every_test_the_deployment_guide_cites_exists(repo_root: Path) -> None:
    guide = (repo_root / "docs" / "deployment.md").read_text(encoding="utf-8")
    cited_modules = set(re.findall(r"`(tests/test_\w+\.py)", guide))
    cited_tests = set(re.findall(r"(?:::|`)(test_\w+)`", guide))
    assert cited_modules
    assert cited_tests
    assert {m for m in cited_modules if not (repo_root / m).exists()} == set()
    assert cited_tests - defined_tests(repo_root / "tests") == set()
