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
    """One subscription's mailbox: the newest counts not yet delivered.

    ``fresh`` until its first counts arrive: those come from a read made after it
    joined, by the same task that reads all later ones, so a subscriber never gets an
    older value after a newer one."""

    latest: Seats | None = None
    fresh: bool = True
    gone: bool = False
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, seats: Seats) -> None:
        self.latest, self.fresh = seats, False
        self.wake.set()

    def give_up(self) -> None:
        self.gone, self.fresh = True, False
        self.wake.set()

    async def take(self) -> Seats | None:
        """The next counts, or ``None`` once the session turned out not to exist."""
        await self.wake.wait()
        self.wake.clear()
        return None if self.gone else self.latest


class SeatFeed:
    """The process's one watcher of exam-session seat counts."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], *, mode: FeedMode, poll_interval_s: float) -> None:
        self._db = db
        self._requested = mode
        self._interval = poll_interval_s
        self._subscribers: dict[ObjectId, set[_Subscriber]] = {}
        self._last: dict[ObjectId, Seats] = {}
        self._nudge = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.mode: Literal["change_stream", "poll"] | None = None
        """What the feed settled on once started: ``None`` until the first subscriber."""

    async def watch(self, session_id: ObjectId) -> AsyncIterator[Seats]:
        """The session's counts now, then each time they change, until the caller stops;
        nothing at all if no session has that id."""
        subscriber = _Subscriber()
        self._subscribers.setdefault(session_id, set()).add(subscriber)
        self._nudge.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="edugraph-seat-feed")
        sent: Seats | None = None
        try:
            while (seats := await subscriber.take()) is not None:
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

    async def _run(self) -> None:
        stream = None
        if self._requested != "poll":
            try:
                stream = await self._open_stream(resume_after=None)
            except OperationFailure as error:
                # Asked for explicitly, a refusal is a misconfigured cluster (`edugraph check`
                # reports it): say so loudly, but still serve the counts by polling.
                level = logging.ERROR if self._requested == "change_stream" else logging.INFO
                logger.log(level, "MongoDB refused a change stream (%s); polling seat counts instead.", error)
            except PyMongoError as error:
                logger.warning("Could not open a change stream (%s); polling seat counts instead.", error)
        if stream is None:
            self.mode = "poll"
            await self._poll_loop(everything=True)
            return
        self.mode = "change_stream"
        first_reads = asyncio.create_task(self._poll_loop(everything=False))
        try:
            await self._follow(stream)
        finally:
            first_reads.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await first_reads

    async def _open_stream(self, resume_after: Mapping[str, Any] | None) -> Any:
        pipeline: list[dict[str, Any]] = [
            {"$match": {"operationType": {"$in": ["update", "replace"]}}},
            {"$project": {"documentKey": 1, "fullDocument.booked": 1, "fullDocument.capacity": 1}},
        ]
        return await self._db[EXAM_SESSIONS].watch(pipeline, full_document="updateLookup", resume_after=resume_after)

    async def _follow(self, stream: Any) -> None:
        resume_after: Mapping[str, Any] | None = None
        while True:
            try:
                async with stream:
                    async for change in stream:
                        resume_after = change["_id"]
                        session_id = change["documentKey"]["_id"]
                        document = change.get("fullDocument")
                        if document is not None and session_id in self._subscribers:
                            self._publish(seats_from({"_id": session_id, **document}))
            except PyMongoError:
                logger.warning("The seat change stream failed; reopening it.", exc_info=True)
            await asyncio.sleep(RETRY_DELAY_S)
            stream = await self._reopen(resume_after)

    async def _reopen(self, resume_after: Mapping[str, Any] | None) -> Any:
        while True:
            try:
                return await self._open_stream(resume_after)
            except OperationFailure:
                # The resume point is gone (oplog rolled over): start afresh and re-read
                # every watched session once, so no change in the gap is missed.
                resume_after = None
                for watchers in self._subscribers.values():
                    for subscriber in watchers:
                        subscriber.fresh = True
                self._nudge.set()
            except PyMongoError:
                logger.warning("Cannot reopen the seat change stream; retrying.", exc_info=True)
                await asyncio.sleep(RETRY_DELAY_S)

    def _publish(self, seats: Seats) -> None:
        if self._last.get(seats.session_id) == seats:
            return
        self._last[seats.session_id] = seats
        for subscriber in self._subscribers.get(seats.session_id, ()):
            subscriber.offer(seats)

    async def _poll_loop(self, *, everything: bool) -> None:
        """Read the watched sessions (``everything``) or only those whose subscribers
        await their first counts, at once when nudged, else once per interval."""
        while True:
            self._nudge.clear()
            try:
                await self._poll_once(everything=everything)
            except PyMongoError:
                logger.warning("Reading seat counts failed; retrying.", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudge.wait(), self._interval if everything else None)

    async def _poll_once(self, *, everything: bool) -> None:
        ids = [sid for sid, watchers in self._subscribers.items() if everything or any(w.fresh for w in watchers)]
        if not ids:  # never send an empty $in (the embedded server cannot run one)
            return
        found = {
            doc["_id"]: seats_from(doc)
            async for doc in self._db[EXAM_SESSIONS].find({"_id": {"$in": ids}}, _SEAT_FIELDS)
        }
        for session_id in ids:
            watchers = list(self._subscribers.get(session_id, ()))
            seats = found.get(session_id)
            if seats is None:
                for subscriber in watchers:
                    if subscriber.fresh:
                        subscriber.give_up()
                continue
            changed = self._last.get(session_id) != seats
            self._last[session_id] = seats
            for subscriber in watchers:
                if changed or subscriber.fresh:
                    subscriber.offer(seats)
