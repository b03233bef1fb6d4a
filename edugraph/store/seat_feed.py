"""Live seat counts of exam sessions, for every subscriber of every worker process.

A booking or cancellation may be written by any replica of the service, so a worker
cannot learn of it from its own mutations: it must learn it from the database, the one
thing all replicas share. Two ways, one feed per process whatever the number of
subscribers:

- **change stream** (MongoDB replica set or Atlas): one stream per process on
  ``exam_sessions`` updates, pushed by the server as they commit.
- **polling** (the embedded server, which refuses ``$changeStream``, and a standalone
  ``mongod``): one ``find`` per interval for the seat counts of the sessions someone is
  watching, nothing when nobody is. Its cost grows with the number of processes, not of
  subscribers, and a change reaches every worker within one interval.

``auto`` tries the change stream when the first subscriber arrives and falls back to
polling if the server refuses it. Each subscriber holds only the latest counts, not a
queue: a slow client skips intermediate values instead of growing memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure, PyMongoError

from edugraph.store.collections import EXAM_SESSIONS

logger = logging.getLogger("edugraph.live")

FeedMode = Literal["auto", "change_stream", "poll"]

# How long a failed change stream or poll waits before trying again.
RETRY_DELAY_S = 1.0
_SEAT_FIELDS = {"booked": 1, "capacity": 1}


@dataclass(frozen=True, slots=True)
class Seats:
    """The seat counts of one exam session at one moment."""

    session_id: ObjectId
    booked: int
    capacity: int


def seats_from(doc: Mapping[str, Any]) -> Seats:
    return Seats(session_id=doc["_id"], booked=int(doc["booked"]), capacity=int(doc["capacity"]))


@dataclass(eq=False)
class _Subscriber:
    """One subscription's mailbox: the newest counts not yet delivered."""

    latest: Seats | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, seats: Seats) -> None:
        self.latest = seats
        self.wake.set()

    async def take(self) -> Seats:
        await self.wake.wait()
        self.wake.clear()
        assert self.latest is not None
        return self.latest


class SeatFeed:
    """The process's one watcher of exam-session seat counts."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], *, mode: FeedMode, poll_interval_s: float) -> None:
        self._db = db
        self._requested = mode
        self._interval = poll_interval_s
        self._subscribers: dict[ObjectId, set[_Subscriber]] = {}
        self._last: dict[ObjectId, Seats] = {}
        self._task: asyncio.Task[None] | None = None
        self.mode: Literal["change_stream", "poll"] | None = None
        """What the feed settled on once started: ``None`` until the first subscriber."""

    async def current(self, session_id: ObjectId) -> Seats | None:
        doc = await self._db[EXAM_SESSIONS].find_one({"_id": session_id}, _SEAT_FIELDS)
        return None if doc is None else seats_from(doc)

    async def watch(self, session_id: ObjectId) -> AsyncIterator[Seats]:
        """The session's counts now, then each time they change, until the caller stops."""
        subscriber = _Subscriber()
        self._subscribers.setdefault(session_id, set()).add(subscriber)
        self._ensure_running()
        try:
            first = await self.current(session_id)
            if first is None:
                return
            self._last.setdefault(session_id, first)
            yield first
            sent = first
            while True:
                seats = await subscriber.take()
                if seats != sent:
                    sent = seats
                    yield seats
        finally:
            watchers = self._subscribers.get(session_id)
            if watchers is not None:
                watchers.discard(subscriber)
                if not watchers:
                    del self._subscribers[session_id]
                    self._last.pop(session_id, None)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="edugraph-seat-feed")

    def _publish(self, seats: Seats) -> None:
        if self._last.get(seats.session_id) == seats:
            return
        self._last[seats.session_id] = seats
        for subscriber in self._subscribers.get(seats.session_id, ()):
            subscriber.offer(seats)

    async def _run(self) -> None:
        if self._requested != "poll":
            try:
                await self._follow_change_stream()
                return
            except OperationFailure as error:
                if self._requested == "change_stream":
                    # Asked for explicitly: polling instead would hide a misconfigured cluster.
                    # `edugraph check` reports this before start-up.
                    logger.error("MongoDB refused a change stream (%s): seat counts will not update live.", error)
                    return
                logger.info("MongoDB refused a change stream (%s); polling seat counts instead.", error)
        await self._poll()

    async def _follow_change_stream(self) -> None:
        pipeline: list[dict[str, Any]] = [
            {"$match": {"operationType": {"$in": ["update", "replace"]}}},
            {"$project": {"documentKey": 1, "fullDocument.booked": 1, "fullDocument.capacity": 1}},
        ]
        resume_after: Mapping[str, Any] | None = None
        while True:
            try:
                stream = await self._db[EXAM_SESSIONS].watch(
                    pipeline, full_document="updateLookup", resume_after=resume_after
                )
                self.mode = "change_stream"
                async with stream:
                    # Counts may have changed before the stream opened: catch up once.
                    await self._poll_once()
                    async for change in stream:
                        resume_after = change["_id"]
                        document = change.get("fullDocument")
                        if document is not None and change["documentKey"]["_id"] in self._subscribers:
                            self._publish(seats_from({"_id": change["documentKey"]["_id"], **document}))
            except OperationFailure:
                if self.mode is None:
                    raise  # refused outright: the caller falls back to polling
                logger.warning("The seat change stream failed; reopening it.", exc_info=True)
                resume_after = None
            except PyMongoError:
                logger.warning("The seat change stream lost MongoDB; reopening it.", exc_info=True)
            await asyncio.sleep(RETRY_DELAY_S)

    async def _poll(self) -> None:
        self.mode = "poll"
        while True:
            try:
                await self._poll_once()
            except PyMongoError:
                logger.warning("Polling seat counts failed; retrying.", exc_info=True)
            await asyncio.sleep(self._interval)

    async def _poll_once(self) -> None:
        watched = list(self._subscribers)
        if not watched:  # never send an empty $in (the embedded server cannot run one)
            return
        async for doc in self._db[EXAM_SESSIONS].find({"_id": {"$in": watched}}, _SEAT_FIELDS):
            self._publish(seats_from(doc))
