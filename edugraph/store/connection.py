"""The PyMongo async client the service talks through, real MongoDB or embedded.

Timeouts are short on purpose: when MongoDB is unreachable a request should fail
with ``SERVICE_UNAVAILABLE`` within a few seconds rather than hang, and the driver's
own monitoring reconnects when the server comes back, so no restart is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import CommandListener
from pymongo.read_preferences import make_read_preference, read_pref_mode_from_name

Document = dict[str, object]


def open_client(
    uri: str,
    *,
    timeout_ms: int,
    socket_timeout_ms: int | None = None,
    event_listeners: Sequence[CommandListener] = (),
) -> AsyncMongoClient[Document]:
    """A client that never waits longer than ``timeout_ms`` for an unreachable server.

    A reply may take up to ``socket_timeout_ms`` (default four times ``timeout_ms``);
    bulk loads pass more, since the embedded server inserts slowly over the wire.
    """
    return AsyncMongoClient(
        uri,
        appname="edugraph",
        tz_aware=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=socket_timeout_ms if socket_timeout_ms is not None else timeout_ms * 4,
        event_listeners=list(event_listeners),
    )


async def ping(db: AsyncDatabase[Document]) -> None:
    """Raise a PyMongo error unless the server answers."""
    await db.command("ping")


def for_statistics(db: AsyncDatabase[Document], read_preference: str) -> AsyncDatabase[Document]:
    """The database as the statistics aggregations read it: on a replica set,
    ``secondaryPreferred`` moves those scans off the primary that serves the writes."""
    mode = read_pref_mode_from_name(read_preference)
    return db.with_options(read_preference=make_read_preference(mode, None))
