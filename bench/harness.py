"""The benchmark harness: the real service over seeded data, driven by concurrent clients.

    python -m bench [--scale S] [--seconds T] [--concurrency 1,8,32] [--out FILE]

It starts the embedded database seeded at the scale asked, the service as its own
uvicorn process, and for each contract query (and a statistics query) at each
concurrency level drives it for T seconds from an async HTTP client, then prints, side
by side: requests/s, p50/p95/p99 latency, the service's CPU time per request and per
returned JSON object, MongoDB round trips per request, response bytes and the
service's peak RSS. Figures from one run are comparable with each other; absolute
numbers on a shared machine are not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO.parent / "shared" / "contract"


@dataclass
class Result:
    operation: str
    concurrency: int
    requests: int
    errors: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cpu_us_per_request: float
    cpu_us_per_object: float
    objects_per_response: int
    response_bytes: int
    round_trips: int | None
    peak_rss_mb: float


def count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def operations(ids: dict[str, str]) -> dict[str, dict[str, Any]]:
    def contract(name: str, variables: dict[str, Any]) -> dict[str, Any]:
        return {"query": (CONTRACT / f"{name}.graphql").read_text(encoding="utf-8"), "variables": variables}

    return {
        "InstitutionsDirectory(first: 50)": contract("InstitutionsDirectory", {"first": 50}),
        "InstitutionProfile": contract("InstitutionProfile", {"id": ids["institution"]}),
        "LearnerProfile": contract("LearnerProfile", {"id": ids["learner"]}),
        "PartnerAlliance": contract("PartnerAlliance", {"year": 2023}),
        "YearlyStatistics (cached)": contract("YearlyStatistics", {"year": 2023}),
    }


async def sample_ids(uri: str, database: str) -> dict[str, str]:
    from edugraph.ids import IdPrefix, to_public_id
    from edugraph.store.connection import open_client

    client = open_client(uri, timeout_ms=5000)
    try:
        db = client[database]
        rows = await (
            await db.submissions.aggregate(
                [{"$group": {"_id": "$learner_id", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}, {"$limit": 1}]
            )
        ).to_list()
        major = await db.majors.find_one({})
        return {
            "learner": to_public_id(IdPrefix.LEARNER, rows[0]["_id"]),
            "institution": to_public_id(IdPrefix.INSTITUTION, major["chief_institution_id"]),
        }
    finally:
        await client.close()


async def round_trips(uri: str, database: str, payload: dict[str, Any], token: str) -> int:
    """The commands one execution sends, counted in-process with PyMongo command monitoring."""
    from asgi_lifespan import LifespanManager
    from pymongo import monitoring

    from edugraph.config import Settings
    from edugraph.server import create_app

    class Counter(monitoring.CommandListener):
        count = 0

        def started(self, event: monitoring.CommandStartedEvent) -> None:
            if event.command_name not in {"hello", "isMaster", "ismaster", "ping", "endSessions"}:
                self.count += 1

        def succeeded(self, event: Any) -> None:
            pass

        def failed(self, event: Any) -> None:
            pass

    counter = Counter()
    settings = Settings(mongodb_uri=uri, mongodb_database=database, EDUGRAPH_JWT_SECRET=BENCH_SECRET)
    app = create_app(settings, event_listeners=[counter])
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.post("/graphql", json=payload, headers={"authorization": f"Bearer {token}"})
            counter.count = 0
            await client.post("/graphql", json=payload, headers={"authorization": f"Bearer {token}"})
    return counter.count


BENCH_SECRET = "edugraph-bench-secret-0123456789abcdef"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="edugraph's benchmark harness")
    parser.add_argument("--scale", type=float, default=None, help="demo data scale (default: the seed's default)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per operation and concurrency")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated concurrency levels")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    return asyncio.run(run(args))


async def run(args: argparse.Namespace) -> int:
    from edugraph.auth import Role, development_token
    from edugraph.config import Settings
    from edugraph.store.embedded import EmbeddedServer

    database = "edugraph_bench"
    with tempfile.TemporaryDirectory(prefix="edugraph-bench-") as data_dir:
        server = EmbeddedServer(data_dir=Path(data_dir), database=database, seed_scale=args.scale, progress=False)
        uri = await asyncio.to_thread(server.start)
        port = free_port()
        env = {
            **os.environ,
            "MONGODB_URI": uri,
            "MONGODB_DATABASE": database,
            "EDUGRAPH_JWT_SECRET": BENCH_SECRET,
        }
        service = await asyncio.to_thread(
            subprocess.Popen,
            [sys.executable, "-m", "edugraph", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            await wait_for(url)
            token = development_token(Settings(EDUGRAPH_JWT_SECRET=BENCH_SECRET), role=Role.PLATFORM_ADMIN)
            process = psutil.Process(service.pid)
            ids = await sample_ids(uri, database)
            results: list[Result] = []
            for name, payload in operations(ids).items():
                trips = await round_trips(uri, database, payload, token)
                headed = {"authorization": f"Bearer {token}"}
                async with httpx.AsyncClient(timeout=60) as client:
                    sample = await client.post(url, json=payload, headers=headed)
                objects = count_objects(sample.json().get("data"))
                for concurrency in [int(c) for c in args.concurrency.split(",")]:
                    cpu_before = sum(process.cpu_times()[:2])
                    started = time.perf_counter()
                    latencies, errors = await drive(url, payload, concurrency, args.seconds, token)
                    elapsed = time.perf_counter() - started
                    cpu = sum(process.cpu_times()[:2]) - cpu_before
                    n = max(len(latencies), 1)
                    results.append(
                        Result(
                            operation=name,
                            concurrency=concurrency,
                            requests=len(latencies),
                            errors=errors,
                            requests_per_s=len(latencies) / elapsed,
                            p50_ms=percentile(latencies, 0.50),
                            p95_ms=percentile(latencies, 0.95),
                            p99_ms=percentile(latencies, 0.99),
                            cpu_us_per_request=cpu / n * 1e6,
                            cpu_us_per_object=cpu / n / max(objects, 1) * 1e6,
                            objects_per_response=objects,
                            response_bytes=len(sample.content),
                            round_trips=trips,
                            peak_rss_mb=process.memory_info().rss / 2**20,
                        )
                    )
                    print_row(results[-1])
        finally:
            service.terminate()
            await asyncio.to_thread(service.wait, 15)
            await asyncio.to_thread(server.stop)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    return 0


async def drive(
    url: str, payload: dict[str, Any], concurrency: int, seconds: float, token: str
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    headers = {"authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.post(url, json=payload)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200 or "errors" in response.json():
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


async def wait_for(url: str) -> None:
    deadline = time.monotonic() + 120
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.post(url, json={"query": "{ __typename }"})).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise RuntimeError(f"the service at {url} did not start")


def print_row(r: Result) -> None:
    print(
        f"{r.operation:34} c={r.concurrency:<3} {r.requests_per_s:8.1f} req/s  p50 {r.p50_ms:7.1f}  p95 {r.p95_ms:7.1f}"
        f"  p99 {r.p99_ms:7.1f} ms  cpu {r.cpu_us_per_request:9.0f} µs/req {r.cpu_us_per_object:7.1f} µs/obj"
        f"  objs {r.objects_per_response:5}  trips {r.round_trips}  {r.response_bytes:7} B  rss {r.peak_rss_mb:6.1f} MB"
        + (f"  ERRORS {r.errors}" if r.errors else ""),
        flush=True,
    )
