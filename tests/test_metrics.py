"""Prometheus /metrics: operations, outcomes, latency, round trips, batch sizes, error codes."""

from __future__ import annotations

import httpx
import pytest
from conftest import GraphQLClient, contract
from prometheus_client import CollectorRegistry, Counter

from edugraph import metrics
from edugraph.metrics import Series


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one metric sample in the exposition text."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
        if not labels and line.startswith(f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name}{{{wanted}}}")


async def test_metrics_count_operations_by_name_and_outcome(client: httpx.AsyncClient, gql: GraphQLClient) -> None:
    before = (await client.get("/metrics")).text
    await gql.data(contract("InstitutionsDirectory"), {"first": 5})
    await gql.execute('query Broken { institution(id: "bad") { id } }')
    text = (await client.get("/metrics")).text
    ok_before = (
        sample(before, "edugraph_requests_total", operation="InstitutionsDirectory", outcome="ok")
        if "InstitutionsDirectory" in before
        else 0.0
    )
    assert sample(text, "edugraph_requests_total", operation="InstitutionsDirectory", outcome="ok") == ok_before + 1
    assert sample(text, "edugraph_requests_total", operation="Broken", outcome="error") >= 1
    assert sample(text, "edugraph_errors_total", code="BAD_USER_INPUT") >= 1


async def test_metrics_record_round_trips_latency_and_batches(client: httpx.AsyncClient, gql: GraphQLClient) -> None:
    await gql.data(contract("InstitutionsDirectory"), {"first": 5})
    response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert sample(text, "edugraph_mongodb_round_trips_sum", operation="InstitutionsDirectory") >= 7
    assert sample(text, "edugraph_request_seconds_count", operation="InstitutionsDirectory") >= 1
    assert sample(text, "edugraph_dataloader_batch_size_count", collection="courses") >= 1


def test_a_remembered_series_is_the_child_prometheus_gives() -> None:
    counter = Counter("c", "c", ["operation", "outcome"], registry=CollectorRegistry())
    series = Series(counter)
    series("Directory", "ok").inc()
    series("Directory", "ok").inc()
    assert series("Directory", "ok") is counter.labels("Directory", "ok")
    assert counter.labels("Directory", "ok")._value.get() == 2


def test_series_beyond_the_capacity_are_counted_but_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "SERIES_CAPACITY", 2)
    counter = Counter("c", "c", ["operation"], registry=CollectorRegistry())
    series = Series(counter)
    for name in ("A", "B", "C", "C"):
        series(name).inc()
    assert counter.labels("C")._value.get() == 2
    assert len(series._children) == 2
