"""Instructions per request, counted by valgrind: the service's CPU cost without the noise.

On the shared machines this project runs on, the CPU time of one and the same build
varies by a third between processes, so a change worth 5 % cannot be seen in seconds.
valgrind's callgrind counts the instructions a process executes, which do not depend on
what else the machine is doing. This runs the ``in memory`` target (the service, its
repeated reads answered from memory) inside two processes under callgrind: one answers
``--requests`` more requests than the other after the same start and warm-up, so the
difference divided by that number is what one request costs, start-up excluded.

    python -m bench.instructions [--operation InstitutionsDirectory] [--requests 20]

Each process takes about a minute under valgrind (Python's start-up alone is some four
billion instructions); the two run at the same time.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
from collections.abc import MutableMapping, Sequence
from typing import Any

import orjson

from bench.database import DATABASE, seeded_database
from bench.operations import Operation, operations, sample_ids
from bench.targets import IN_MEMORY, request_for
from edugraph.store.connection import open_client

WARM_UP = 5
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions_in(valgrind_output: str) -> int:
    """The instruction count of a callgrind run, from what valgrind printed."""
    found = _REFS.search(valgrind_output)
    if found is None:
        raise ValueError("no instruction count in valgrind's output")
    return int(found.group(1).replace(",", ""))


def per_request(fewer: int, more: int, extra_requests: int) -> float:
    """What one request costs: the difference between two runs over the requests it is for."""
    if extra_requests <= 0:
        raise ValueError("the second run must answer more requests than the first")
    return (more - fewer) / extra_requests


async def _answer(uri: str, name: str, requests: int) -> None:
    """The child: the in-memory service in this process, answering ``name`` repeatedly."""
    from asgi_lifespan import LifespanManager

    from bench.harness import service_token
    from bench.targets import app_for

    operation = await _operation(uri, name)
    path, payload = request_for(IN_MEMORY, operation)
    body = orjson.dumps(payload)
    headers = [
        (b"host", b"bench"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"authorization", f"Bearer {service_token()}".encode()),
    ]
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    async with LifespanManager(app_for(IN_MEMORY, uri, [])) as manager:

        async def one() -> bytes:
            # The ASGI app called directly: no HTTP client in the count.
            chunks: list[bytes] = []
            received = False

            async def receive() -> dict[str, Any]:
                nonlocal received
                if received:
                    await asyncio.Event().wait()  # the client never disconnects
                received = True
                return {"type": "http.request", "body": body, "more_body": False}

            async def send(message: MutableMapping[str, Any]) -> None:
                if message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))

            await manager.app(dict(scope), receive, send)
            return b"".join(chunks)

        for _ in range(WARM_UP):
            answer = await one()
        if b'"errors"' in answer:
            raise RuntimeError(f"{name} answered with errors: {answer[:300]!r}")
        for _ in range(requests):
            await one()


async def _operation(uri: str, name: str) -> Operation:
    client = open_client(uri, timeout_ms=10_000)
    try:
        found = [o for o in operations(await sample_ids(client[DATABASE])) if o.name == name]
    finally:
        await client.close()
    if not found:
        raise SystemExit(f"unknown operation {name!r}: one of the benchmark's (python -m bench)")
    return found[0]


async def _count(uri: str, name: str, requests: int) -> int:
    args = [sys.executable, "-m", "bench.instructions", "--child", uri, "--operation", name]
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    process = await asyncio.create_subprocess_exec(
        *valgrind, *args, "--requests", str(requests), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the counted process failed:\n{(out + err).decode(errors='replace')[-2000:]}")
    return instructions_in(err.decode(errors="replace"))


async def _measure(name: str, requests: int, scale: float) -> None:
    async with seeded_database(scale) as database:
        # Both processes run to their end, so that a failing one is reported alone.
        counts = await asyncio.gather(
            _count(database.uri, name, 0), _count(database.uri, name, requests), return_exceptions=True
        )
    for count in counts:
        if isinstance(count, BaseException):
            raise count
    fewer, more = counts
    cost = per_request(fewer, more, requests)  # type: ignore[arg-type]
    print(f"{name} (in memory, scale {scale:g}): {cost / 1e6:.2f} M instructions per request")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--operation", default="InstitutionsDirectory", help="a benchmarked contract operation")
    parser.add_argument("--requests", type=int, default=20, help="how many more requests the second run answers")
    parser.add_argument("--scale", type=float, default=0.002, help="demo data scale of the seeded database")
    parser.add_argument("--child", metavar="URI", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        asyncio.run(_answer(args.child, args.operation, args.requests))
        return 0
    if shutil.which("valgrind") is None:
        print("bench.instructions needs valgrind (Debian's valgrind package).", file=sys.stderr)
        return 2
    asyncio.run(_measure(args.operation, args.requests, args.scale))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
