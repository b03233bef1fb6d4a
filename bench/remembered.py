"""The ``in memory`` target: the service as deployed, but every read it repeats is answered
from memory.

The issue's yardstick (graphql-js at 4.4 µs per returned object, hand-built dicts at
0.28 µs) is the cost of a GraphQL layer over data already in memory. Over MongoDB the
driver alone costs more than that per object (see the floor), so this target takes the
database out of the figure while keeping everything else of a request: HTTP, the token,
the document cache and limits, execution, DataLoaders, model objects, public ids and
JSON. The first request of each shape reads through to MongoDB; afterwards a read with
the same collection, method and arguments is answered with the documents it returned
then, with no round trip and no BSON decoding. Only reads are remembered, and only for a
benchmark: nothing here is correct once the data changes.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from typing import Any

import bson

from edugraph.config import Settings
from edugraph.logs import configure_logging
from edugraph.server import create_app

Document = dict[str, Any]


class RememberedReads:
    """The answers of every read seen so far, shared by all the requests of the process."""

    def __init__(self) -> None:
        self.answers: dict[bytes, Any] = {}
        self._view: RememberingDatabase | None = None

    def __call__(self, database: Any) -> RememberingDatabase:
        if self._view is None or self._view.database is not database:
            self._view = RememberingDatabase(database, self.answers)
        return self._view


class RememberingDatabase:
    """A PyMongo database whose collections remember their reads; anything else is its own."""

    def __init__(self, database: Any, answers: dict[bytes, Any]) -> None:
        self.database = database
        self._answers = answers
        self._collections: dict[str, RememberingCollection] = {}

    def __getitem__(self, name: str) -> RememberingCollection:
        collection = self._collections.get(name)
        if collection is None:
            collection = self._collections[name] = RememberingCollection(self.database[name], self._answers)
        return collection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.database, name)

    async def command(self, command: str, value: Any = 1, **kwargs: Any) -> Any:
        """A ``count`` (a top-level list's total) is a read and remembered; any other
        command is sent."""
        if command != "count":
            return await self.database.command(command, value, **kwargs)
        # Which member answers does not change the answer (nor can BSON encode it).
        key = _key(str(value), "count", (), {k: v for k, v in kwargs.items() if k != "read_preference"})
        if key not in self._answers:
            self._answers[key] = await self.database.command(command, value, **kwargs)
        return self._answers[key]


def _key(collection: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    # BSON rather than repr: C-encoded, so a filter of 500 ids costs microseconds, and it
    # tells ObjectIds, strings and numbers apart exactly as the server would.
    return bson.encode({"c": collection, "m": method, "a": list(args), "k": kwargs})


class RememberingCollection:
    def __init__(self, collection: Any, answers: dict[bytes, Any]) -> None:
        self.collection = collection
        self._answers = answers

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)

    def find(self, *args: Any, **kwargs: Any) -> RememberedCursor:
        key = _key(self.collection.name, "find", args, kwargs)
        return RememberedCursor(self._answers, key, lambda: self.collection.find(*args, **kwargs).to_list())

    async def aggregate(self, *args: Any, **kwargs: Any) -> RememberedCursor:
        key = _key(self.collection.name, "aggregate", args, kwargs)

        async def read() -> list[Document]:
            cursor = await self.collection.aggregate(*args, **kwargs)
            documents: list[Document] = await cursor.to_list()
            return documents

        return RememberedCursor(self._answers, key, read)

    async def find_one(self, *args: Any, **kwargs: Any) -> Document | None:
        documents = await self.find(*args, **kwargs).limit(1).to_list()
        return documents[0] if documents else None


class RememberedCursor:
    """What the service uses of a cursor: ``to_list`` and ``async for``."""

    def __init__(self, answers: dict[bytes, Any], key: bytes, read: Any) -> None:
        self._answers = answers
        self._key = key
        self._read = read

    def limit(self, count: int) -> RememberedCursor:
        read = self._read

        async def limited() -> list[Document]:
            documents: list[Document] = await read()
            return documents[:count] if count else documents

        return RememberedCursor(self._answers, self._key + b"limit" + str(count).encode(), limited)

    async def to_list(self, length: int | None = None) -> list[Document]:
        documents: list[Document] | None = self._answers.get(self._key)
        if documents is None:
            documents = self._answers[self._key] = await self._read()
        return documents if length is None else documents[:length]

    async def __aiter__(self) -> AsyncIterator[Document]:
        for document in await self.to_list():
            yield document


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description="the service with its repeated reads answered from memory")
    parser.add_argument("--port", type=int, required=True, help="port to listen on (127.0.0.1)")
    args = parser.parse_args(argv)
    settings = Settings(EDUGRAPH_PORT=args.port)
    configure_logging(settings)
    app = create_app(settings, database_view=RememberedReads())
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, log_level=settings.log_level.lower())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
