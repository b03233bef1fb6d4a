"""DataLoaders without a future per key.

Strawberry's DataLoader gives every key an asyncio future and a done-callback, and every
answer then travels through the event loop as a scheduled callback: for a page of 50
institutions with their courses and resources, some 500 loop callbacks per request
before any GraphQL work is done. Here a key's ``Answer`` is a small object its batch
fills in directly and whose listeners it calls directly; an asyncio future is made only
when something actually ``await``s an answer that is not ready yet (graphql-core's
executor does; the compiled one listens instead).

Batching is Strawberry's: keys loaded before the batch's task first runs share one call
of the batch function, answers are cached per key for the loader's life (one request),
and ``prime_many`` both fills the cache and answers keys still waiting in the current
batch, which spares the batch function those keys — or the call altogether.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Hashable, Iterable, Sequence
from typing import Any

PENDING = 0
READY = 1
FAILED = 2

Listener = Callable[[Any, Any], None]
"""Called with the argument it was added with, then the answer."""


class Answer[V]:
    """One key's answer: ready, failed, or waiting for its batch.

    ``state`` and ``value`` are read directly by the compiled executor (a ready answer's
    value without three method calls); only the batch writes them.
    """

    __slots__ = ("_future", "_listeners", "batch", "state", "value")

    def __init__(self, batch: Any = None) -> None:
        self.batch = batch  # the batch that will answer it, while it waits
        self.state = PENDING
        self.value: Any = None
        self._listeners: list[tuple[Listener, Any]] | None = None
        self._future: asyncio.Future[None] | None = None

    @classmethod
    def ready(cls, value: V) -> Answer[V]:
        answer: Answer[V] = cls()
        answer.state = READY
        answer.value = value
        return answer

    def done(self) -> bool:
        return self.state != PENDING

    def cancelled(self) -> bool:
        return False

    def exception(self) -> BaseException | None:
        error: BaseException | None = self.value if self.state == FAILED else None
        return error

    def result(self) -> V:
        if self.state == FAILED:
            raise self.value
        if self.state == PENDING:
            raise asyncio.InvalidStateError("the answer is not ready")
        value: V = self.value
        return value

    def add_listener(self, listener: Listener, argument: Any = None) -> None:
        """Call ``listener(argument, self)`` once the answer is in (at once if it already is).

        The argument saves the caller a ``functools.partial`` per answer listened to."""
        if self.state != PENDING:
            listener(argument, self)
        elif self._listeners is None:
            self._listeners = [(listener, argument)]
        else:
            self._listeners.append((listener, argument))

    def settle(self, value: Any, *, failed: bool = False) -> None:
        if self.state != PENDING:
            return
        self.state = FAILED if failed else READY
        self.value = value
        self.batch = None
        listeners, self._listeners = self._listeners, None
        for listener, argument in listeners or ():
            listener(argument, self)
        future = self._future
        if future is not None and not future.done():
            future.set_result(None)

    def __await__(self) -> Generator[Any, None, V]:
        if self.state == PENDING:
            if self._future is None or self._future.done():
                self._future = asyncio.get_running_loop().create_future()
            yield from self._future.__await__()
        return self.result()


NO_KEY: Answer[Any] = Answer.ready(None)
"""The answer to a ``None`` key: nothing, at once."""


class Gathered[V]:
    """The answers of several keys, in order: ``load_many``'s result."""

    __slots__ = ("_answers",)

    def __init__(self, answers: list[Answer[V]]) -> None:
        self._answers = answers

    def done(self) -> bool:
        return all(answer.done() for answer in self._answers)

    def cancelled(self) -> bool:
        return False

    def exception(self) -> BaseException | None:
        return next((error for answer in self._answers if (error := answer.exception()) is not None), None)

    def result(self) -> list[V]:
        return [answer.result() for answer in self._answers]

    def add_listener(self, listener: Listener, argument: Any = None) -> None:
        waiting = [answer for answer in self._answers if not answer.done()]
        if not waiting:
            listener(argument, self)
            return
        left = len(waiting)

        def arrived(_argument: object, _answer: Answer[V]) -> None:
            nonlocal left
            left -= 1
            if left == 0:
                listener(argument, self)

        for answer in waiting:
            answer.add_listener(arrived)

    def __await__(self) -> Generator[Any, None, list[V]]:
        for answer in self._answers:
            if not answer.done():
                yield from answer.__await__()
        return self.result()


class WrongNumberOfAnswers(Exception):
    def __init__(self, expected: int, received: int) -> None:
        super().__init__(f"the batch function returned {received} answers for {expected} keys")


class _Batch[K, V]:
    __slots__ = ("answers", "dispatched", "keys", "listeners")

    def __init__(self) -> None:
        self.keys: list[K] = []
        self.answers: list[Answer[V]] = []
        self.dispatched = False
        self.listeners: list[tuple[Listener, Any]] | None = None

    def add_listener(self, listener: Listener, argument: Any = None) -> None:
        """Call ``listener(argument, self)`` once every answer of the batch is in: one call
        for a whole level of parents, where listening to each answer is one per parent."""
        if self.listeners is None:
            self.listeners = [(listener, argument)]
        else:
            self.listeners.append((listener, argument))

    def finished(self) -> None:
        listeners, self.listeners = self.listeners, None
        for listener, argument in listeners or ():
            listener(argument, self)


class Loader[K: Hashable, V]:
    """Loads keys in batches through ``load_fn`` (keys in, answers in the same order out)."""

    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]], *, batching: bool = True) -> None:
        self._load_fn = load_fn
        # Off only for the benchmark's baseline: one key per batch, and nothing cached.
        self._batching = batching
        self._answers: dict[K, Answer[V]] = {}
        # Primed values not asked for yet: an Answer is made only when one is. Primed
        # batches are indexed by key only once something is loaded, which for most
        # loaders of most requests is never.
        self._held: dict[K, V] = {}
        self._unindexed: list[list[tuple[K, V]]] = []
        self._batch: _Batch[K, V] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def load(self, key: K) -> Answer[V]:
        if self._unindexed:
            self._index()
        answer = self._answers.get(key)
        if answer is not None:
            return answer
        if self._held and key in self._held:
            answer = self._answers[key] = Answer.ready(self._held.pop(key))
            return answer
        batch = self._open_batch()
        waiting: Answer[V] = Answer(batch)
        if self._batching:
            self._answers[key] = waiting
        batch.keys.append(key)
        batch.answers.append(waiting)
        return waiting

    def load_all(self, keys: Iterable[K | None]) -> list[Answer[V]]:
        """``load`` of each key, in order, in one call: a level of parents at once, without
        a call per key beyond the new key's answer. A ``None`` key is not loaded: it
        answers ``None`` at once."""
        if not self._batching or self._unindexed or self._held:
            return [NO_KEY if key is None else self.load(key) for key in keys]
        answers = self._answers
        batch: _Batch[K, V] | None = None
        found: list[Answer[V]] = []
        for key in keys:
            if key is None:
                found.append(NO_KEY)
                continue
            answer = answers.get(key)
            if answer is None:
                if batch is None:
                    batch = self._open_batch()
                answer = answers[key] = Answer(batch)
                batch.keys.append(key)
                batch.answers.append(answer)
            found.append(answer)
        return found

    def load_many(self, keys: Iterable[K]) -> Gathered[V]:
        return Gathered([self.load(key) for key in keys])

    def _open_batch(self) -> _Batch[K, V]:
        """The batch new keys join: the current one, or a new one dispatched on the next
        turn of the loop (every key, when batching is off)."""
        batch = self._batch
        if batch is None or batch.dispatched or not self._batching:
            batch = self._batch = _Batch()
            asyncio.get_running_loop().call_soon(self._schedule, batch)
        return batch

    def prime_many(self, values: Iterable[tuple[K, V]]) -> None:
        """Remember values for keys not asked for yet, and answer keys waiting in the
        current batch; keys already answered (or being loaded) keep their answer."""
        if not self._batching:
            return
        waiting = self._batch if self._batch is not None and not self._batch.dispatched else None
        if waiting is None:
            self._unindexed.append(list(values))
            return
        if self._unindexed:
            self._index()
        answers = self._answers
        for key, value in values:
            answer = answers.get(key)
            if answer is None:
                self._held.setdefault(key, value)
            elif answer.batch is waiting:
                answer.settle(value)

    def _index(self) -> None:
        """Fold primed values into ``_held``, first primed first, never over an answer."""
        held = self._held
        answers = self._answers
        for values in self._unindexed:
            for key, value in values:
                if key not in answers:
                    held.setdefault(key, value)
        self._unindexed.clear()

    def clear_all(self) -> None:
        self._answers.clear()
        self._held.clear()
        self._unindexed.clear()

    def _schedule(self, batch: _Batch[K, V]) -> None:
        task = asyncio.get_running_loop().create_task(self._dispatch(batch))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _dispatch(self, batch: _Batch[K, V]) -> None:
        try:
            await self._answer(batch)
        finally:
            batch.finished()

    async def _answer(self, batch: _Batch[K, V]) -> None:
        batch.dispatched = True
        todo = [(key, answer) for key, answer in zip(batch.keys, batch.answers, strict=True) if answer.state == PENDING]
        if not todo:
            return
        keys = [key for key, _ in todo]
        try:
            values = list(await self._load_fn(keys))
            if len(values) != len(keys):
                raise WrongNumberOfAnswers(len(keys), len(values))
        except Exception as error:
            for _, answer in todo:
                answer.settle(error, failed=True)
            return
        for (_, answer), value in zip(todo, values, strict=True):
            if isinstance(value, BaseException):
                answer.settle(value, failed=True)
            elif answer._listeners is None and answer._future is None and answer.state == PENDING:
                # Nobody to tell (the compiled executor listens to the batch): ``settle``
                # without its call, for each of the batch's keys.
                answer.state = READY
                answer.value = value
                answer.batch = None
            else:
                answer.settle(value)
