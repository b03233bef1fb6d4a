"""Through a real gateway (Hive Gateway, from npm): our subgraph and Jiangxi's, composed.

The three services run as processes of their own on loopback ports, as they would
deployed; the gateway plans each query across both subgraphs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Store
from services import free_port, stop, wait_until_answering

REPO = Path(__file__).resolve().parents[1]
SUPERGRAPH_DIR = REPO / "deploy" / "supergraph"
PARTNER = REPO / "examples" / "partner-jiangxi" / "partner_jiangxi.py"


@pytest.fixture(scope="module")
def gateway(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ours, theirs, gateway_port = free_port(), free_port(), free_port()
    env = {**os.environ, "MONGODB_URI": store.uri, "MONGODB_DATABASE": store.database, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, str(PARTNER), "seed"], env=env, check=True, capture_output=True, timeout=120)
    supergraph = tmp_path_factory.mktemp("supergraph") / "supergraph.graphql"
    subprocess.run(
        [
            "node",
            str(SUPERGRAPH_DIR / "compose.mjs"),
            "--url",
            f"edugraph=http://127.0.0.1:{ours}/graphql",
            "--url",
            f"jiangxi=http://127.0.0.1:{theirs}/graphql",
            "--out",
            str(supergraph),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "edugraph", "serve", "--port", str(ours)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, str(PARTNER), "serve", "--port", str(theirs)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                str(SUPERGRAPH_DIR / "node_modules" / ".bin" / "hive-gateway"),
                "supergraph",
                str(supergraph),
                "--host",
                "127.0.0.1",
                "--port",
                str(gateway_port),
            ],
            env={**os.environ, "NODE_ENV": "production"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        for url, process in zip(
            (f"http://127.0.0.1:{p}/graphql" for p in (ours, theirs, gateway_port)), processes, strict=True
        ):
            wait_until_answering(url, process)
        yield f"http://127.0.0.1:{gateway_port}/graphql"
    finally:
        stop(*processes)


def run(url: str, query: str) -> dict[str, Any]:
    response = httpx.post(url, json={"query": query}, timeout=30)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_the_cross_province_alliance_lists_members_of_both_provinces(gateway: str) -> None:
    data = run(
        gateway,
        """{ alliances(filter: {kind: CROSS_PROVINCE}) { nodes {
              name provinces
              members(first: 20) { nodes { name city jiangxiCounterparts { name city } } }
              jiangxiMembers { name city counterparts { name } }
           } } }""",
    )
    (alliance,) = data["alliances"]["nodes"]
    anhui = alliance["members"]["nodes"]
    jiangxi = alliance["jiangxiMembers"]
    assert anhui
    assert {"南昌大学", "江西师范大学"} <= {u["name"] for u in jiangxi}
    assert any(m["jiangxiCounterparts"] for m in anhui)  # our entities, their field
    assert all(u["counterparts"][0]["name"] for u in jiangxi)  # their entities, our field


def test_a_query_starting_in_jiangxi_resolves_our_fields_through_entities(gateway: str) -> None:
    data = run(gateway, "{ jiangxiUniversities { name counterparts { name city courses(first: 1) { totalCount } } } }")
    universities = data["jiangxiUniversities"]
    assert len(universities) == 11
    first = universities[0]["counterparts"][0]
    assert first["name"]
    assert first["courses"]["totalCount"] >= 0
