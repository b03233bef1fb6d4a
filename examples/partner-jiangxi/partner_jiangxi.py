"""Jiangxi's side of the Anhui–Jiangxi alliance: a small federation subgraph of its own.

It holds Jiangxi's alliance universities in its own MongoDB database (same server as
edugraph, another database), and extends edugraph's ``Alliance`` and ``Institution``
entities by key: a supergraph query on an alliance lists members from both provinces,
and an Anhui institution shows its Jiangxi counterparts.

    python partner_jiangxi.py seed             # its demo data into MONGODB_URI
    python partner_jiangxi.py serve --port 8010
    python partner_jiangxi.py export-schema    # its subgraph SDL
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from typing import Any

import strawberry
import uvicorn
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.printer import print_schema

from edugraph.ids import IdPrefix, to_public_id
from edugraph.store import collections as edugraph_collections
from edugraph.store.seed import DEFAULT_SCALE, DEFAULT_SEED_NUMBER, generate

DATABASE = "partner_jiangxi"
UNIVERSITIES = "universities"

_JIANGXI_UNIVERSITIES = (
    ("南昌大学", "南昌"),
    ("江西师范大学", "南昌"),
    ("江西财经大学", "南昌"),
    ("南昌航空大学", "南昌"),
    ("华东交通大学", "南昌"),
    ("江西理工大学", "赣州"),
    ("东华理工大学", "抚州"),
    ("井冈山大学", "吉安"),
    ("赣南师范大学", "赣州"),
    ("九江学院", "九江"),
    ("江西开放大学", "南昌"),
)


def demo_universities() -> list[dict[str, Any]]:
    """Jiangxi's universities, members of edugraph's cross-province and assessment alliances;
    each paired with an Anhui member of the cross-province alliance (by edugraph's ids,
    which its deterministic seed fixes)."""
    anhui = generate(DEFAULT_SCALE, DEFAULT_SEED_NUMBER)
    alliances = {a["kind"]: a["_id"] for a in anhui[edugraph_collections.ALLIANCES]}
    cross, assessment = alliances["CROSS_PROVINCE"], alliances["DEGREE_LANGUAGE_ASSESSMENT"]
    anhui_members = [
        m["institution_id"] for m in anhui[edugraph_collections.ALLIANCE_MEMBERSHIPS] if m["alliance_id"] == cross
    ]
    return [
        {
            "_id": f"jxu_{n:02d}",
            "name": name,
            "city": city,
            "alliance_ids": [to_public_id(IdPrefix.ALLIANCE, cross), to_public_id(IdPrefix.ALLIANCE, assessment)],
            "counterpart_ids": [to_public_id(IdPrefix.INSTITUTION, anhui_members[n % len(anhui_members)])],
        }
        for n, (name, city) in enumerate(_JIANGXI_UNIVERSITIES, start=1)
    ]


@strawberry.federation.type(keys=["id"], description="A Jiangxi university of the partner alliances.")
class JiangxiUniversity:
    id: strawberry.ID = strawberry.field(description="Jiangxi's id of the university (`jxu_…`).")
    name: str = strawberry.field(description="Chinese name.")
    city: str = strawberry.field(description="Jiangxi city.")

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> JiangxiUniversity:
        return cls(
            id=strawberry.ID(doc["_id"]), name=doc["name"], city=doc["city"], _counterpart_ids=doc["counterpart_ids"]
        )

    _counterpart_ids: strawberry.Private[list[str]]

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, id: strawberry.ID) -> JiangxiUniversity | None:
        doc = await info.context["db"][UNIVERSITIES].find_one({"_id": id})
        return cls.from_doc(doc) if doc else None

    @strawberry.field(description="The Anhui institutions it is paired with (edugraph resolves them).")
    def counterparts(self) -> list[Institution]:
        return [Institution(id=strawberry.ID(i)) for i in self._counterpart_ids]


async def _universities(info: strawberry.Info, field: str, key: str) -> list[JiangxiUniversity]:
    cursor = info.context["db"][UNIVERSITIES].find({field: key}, sort=[("_id", 1)])
    return [JiangxiUniversity.from_doc(doc) async for doc in cursor]


@strawberry.federation.type(keys=["id"], description="An edugraph alliance, extended with its Jiangxi members.")
class Alliance:
    id: strawberry.ID = strawberry.field(description="edugraph's id of the alliance.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Alliance:
        return cls(id=id)

    @strawberry.field(description="The alliance's members from Jiangxi.")
    async def jiangxi_members(self, info: strawberry.Info) -> list[JiangxiUniversity]:
        return await _universities(info, "alliance_ids", self.id)


@strawberry.federation.type(keys=["id"], description="An edugraph institution, with its Jiangxi counterparts.")
class Institution:
    id: strawberry.ID = strawberry.field(description="edugraph's id of the institution.")

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Institution:
        return cls(id=id)

    @strawberry.field(description="Jiangxi universities paired with this institution in the alliance.")
    async def jiangxi_counterparts(self, info: strawberry.Info) -> list[JiangxiUniversity]:
        return await _universities(info, "counterpart_ids", self.id)


@strawberry.type(description="Jiangxi's entry points.")
class Query:
    @strawberry.field(description="Jiangxi's alliance universities.")
    async def jiangxi_universities(self, info: strawberry.Info) -> list[JiangxiUniversity]:
        cursor = info.context["db"][UNIVERSITIES].find({}, sort=[("_id", 1)])
        return [JiangxiUniversity.from_doc(doc) async for doc in cursor]


schema = strawberry.federation.Schema(query=Query, types=[Alliance, Institution], federation_version="2.9")


def create_app(mongodb_uri: str, database: str = DATABASE) -> Starlette:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, serverSelectionTimeoutMS=3000)

    class App(GraphQL[dict[str, Any], None]):
        async def get_context(self, request: Any, response: Any) -> dict[str, Any]:
            return {"db": client[database], "request": request}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.close()

    return Starlette(
        routes=[Route("/graphql", App(schema, graphql_ide=None), methods=["GET", "POST"])], lifespan=lifespan
    )


async def seed(mongodb_uri: str, database: str = DATABASE) -> int:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri, serverSelectionTimeoutMS=5000)
    try:
        collection = client[database][UNIVERSITIES]
        universities = demo_universities()
        for doc in universities:  # idempotent: the same documents every run
            await collection.replace_one({"_id": doc["_id"]}, doc, upsert=True)
        return len(universities)
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["seed", "serve", "export-schema"])
    parser.add_argument("--port", type=int, default=8010)
    args = parser.parse_args(argv)
    if args.command == "export-schema":
        sys.stdout.write(print_schema(schema) + "\n")
        return 0
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        print("set MONGODB_URI (edugraph db prints it)", file=sys.stderr)
        return 2
    if args.command == "seed":
        print(f"{asyncio.run(seed(uri))} Jiangxi universities seeded")
        return 0
    uvicorn.run(create_app(uri), host="127.0.0.1", port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
