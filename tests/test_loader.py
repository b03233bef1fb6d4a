"""The batch loader: Strawberry's DataLoader semantics, without a future per key."""

from __future__ import annotations

import asyncio

import pytest

from edugraph.loaders.batch import Loader


class Source:
    """A batch function that records the batches it is called with."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[int]] = []
        self.fail = fail

    async def __call__(self, keys: list[int]) -> list[str]:
        self.calls.append(keys)
        if self.fail:
            raise LookupError("the database is down")
        return [f"value {key}" for key in keys]


async def test_keys_loaded_together_share_one_call_and_keep_their_order() -> None:
    source = Source()
    loader = Loader(source)
    answers = await asyncio.gather(loader.load(3), loader.load(1), loader.load(2))
    assert answers == ["value 3", "value 1", "value 2"]
    assert source.calls == [[3, 1, 2]]


async def test_a_key_is_loaded_once_per_loader() -> None:
    source = Source()
    loader = Loader(source)
    first = loader.load(7)
    assert loader.load(7) is first
    assert await first == "value 7"
    assert await loader.load(7) == "value 7"
    assert source.calls == [[7]]


async def test_load_many_answers_in_the_order_asked() -> None:
    loader = Loader(Source())
    assert await loader.load_many([2, 1]) == ["value 2", "value 1"]


async def test_priming_answers_a_waiting_key_and_spares_its_batch() -> None:
    source = Source()
    loader = Loader(source)
    waiting = loader.load(5)
    loader.prime_many([(5, "primed 5"), (6, "primed 6")])
    assert waiting.done()
    assert await waiting == "primed 5"
    assert await loader.load(6) == "primed 6"
    await asyncio.sleep(0.01)
    assert source.calls == []


async def test_priming_never_replaces_an_answer() -> None:
    loader = Loader(Source())
    assert await loader.load(1) == "value 1"
    loader.prime_many([(1, "primed 1")])
    assert await loader.load(1) == "value 1"


async def test_without_batching_every_load_is_its_own_call() -> None:
    source = Source()
    loader = Loader(source, batching=False)
    await asyncio.gather(loader.load(1), loader.load(1), loader.load(2))
    assert source.calls == [[1], [1], [2]]


async def test_a_failed_batch_fails_each_of_its_keys() -> None:
    loader = Loader(Source(fail=True))
    first, second = loader.load(1), loader.load(2)
    for answer in (first, second):
        with pytest.raises(LookupError, match="down"):
            await answer
    assert isinstance(first.exception(), LookupError)


async def test_listeners_hear_of_an_answer_once_it_is_in() -> None:
    loader = Loader(Source())
    heard: list[str] = []
    answer = loader.load(4)
    answer.add_listener(lambda tag, a: heard.append(f"{tag}: {a.result()}"), "early")
    assert heard == []
    await answer
    answer.add_listener(lambda tag, a: heard.append(f"{tag}: {a.result()}"), "late")
    assert heard == ["early: value 4", "late: value 4"]


async def test_load_all_answers_each_key_in_order_from_one_call() -> None:
    source = Source()
    loader = Loader(source)
    known = loader.load(2)
    answers = loader.load_all([3, 2, 3, 1])
    assert answers[1] is known
    assert answers[0] is answers[2]
    assert [await answer for answer in answers] == ["value 3", "value 2", "value 3", "value 1"]
    assert source.calls == [[2, 3, 1]]


async def test_load_all_answers_a_missing_key_with_none_without_loading_it() -> None:
    source = Source()
    loader = Loader(source)
    [answer] = loader.load_all([None])
    assert answer.done()
    assert answer.result() is None
    await asyncio.sleep(0.01)
    assert source.calls == []


async def test_load_all_takes_primed_values_and_batches_the_rest() -> None:
    source = Source()
    loader = Loader(source)
    loader.prime_many([(8, "primed 8")])
    answers = loader.load_all([8, 9])
    assert [await answer for answer in answers] == ["primed 8", "value 9"]
    assert source.calls == [[9]]


async def test_a_batch_tells_its_listeners_once_every_answer_is_in() -> None:
    loader = Loader(Source())
    answers = loader.load_all([1, 2])
    heard: list[list[bool]] = []
    answers[0].batch.add_listener(lambda _argument, _batch: heard.append([a.done() for a in answers]))
    await answers[1]
    assert heard == [[True, True]]


async def test_a_failed_batch_still_tells_its_listeners() -> None:
    loader = Loader(Source(fail=True))
    answers = loader.load_all([1, 2])
    heard: list[str] = []
    answers[0].batch.add_listener(lambda tag, _batch: heard.append(tag), "failed")
    with pytest.raises(LookupError):
        await answers[0]
    assert heard == ["failed"]
    assert all(isinstance(answer.exception(), LookupError) for answer in answers)
