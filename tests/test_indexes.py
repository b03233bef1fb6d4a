"""Every key a loader groups or looks up by has an index that starts with it."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import pytest

from edugraph.loaders import alliance, credit_bank, park, tutoring
from edugraph.schema.pagination import PageRequest
from edugraph.store.collections import COLLECTIONS, CREDIT_CONVERSIONS


class RecordingRegistry:
    """Stands in for LoaderRegistry and records which (collection, key) each loader reads by."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []

    def by_id(self, collection: str) -> None:
        self.keys.append((collection, "_id"))

    def many_by(self, collection: str, field: str, where: Any = None) -> None:
        self.keys.append((collection, field))

    def pages_by(self, collection: str, field: str, *, first: int, after: Any, fields: Any = None) -> None:
        self.keys.append((collection, field))


def loader_keys(module: ModuleType) -> list[tuple[str, str]]:
    registry = RecordingRegistry()
    for _, factory in inspect.getmembers(module, inspect.isfunction):
        if factory.__module__ != module.__name__:
            continue
        if "page" in inspect.signature(factory).parameters:
            factory(registry, PageRequest(first=1, after=None))
        else:
            factory(registry)
    return registry.keys


def index_prefixes() -> set[tuple[str, str]]:
    prefixes = {(spec.name, "_id") for spec in COLLECTIONS}
    for spec in COLLECTIONS:
        for index in spec.indexes:
            first_field = next(iter(index.document["key"]))
            prefixes.add((spec.name, first_field))
    return prefixes


@pytest.mark.parametrize("module", [park, credit_bank, alliance, tutoring], ids=lambda m: m.__name__)
def test_every_loader_key_is_indexed(module: ModuleType) -> None:
    keys = loader_keys(module)
    assert keys, "the module declares no loaders"
    assert [key for key in keys if key not in index_prefixes()] == []


def ordered_key_indexes() -> set[tuple[str, str]]:
    """(collection, field) pairs whose documents an index hands over key by key in ``_id``
    order, or of which a unique index allows one document per key."""
    found: set[tuple[str, str]] = set()
    for spec in COLLECTIONS:
        for index in spec.indexes:
            keys = list(index.document["key"])
            if keys[1:] == ["_id"] or (len(keys) == 1 and index.document.get("unique")):
                found.add((spec.name, keys[0]))
    return found


@pytest.mark.parametrize("module", [park, credit_bank, alliance, tutoring], ids=lambda m: m.__name__)
def test_every_loader_key_is_indexed_with_its_documents_in_id_order(module: ModuleType) -> None:
    """Pages and lists are in ``_id`` order within each key: a (key, _id) index serves them
    without a sort on MongoDB, and keeps ``$in`` off mongoeco's per-key subqueries."""
    keys = [key for key in loader_keys(module) if key[1] != "_id"]
    assert [key for key in keys if key not in ordered_key_indexes()] == []


async def test_an_index_whose_declaration_changed_is_rebuilt(store: Any) -> None:
    from pymongo import IndexModel

    from edugraph.store.connection import open_client
    from edugraph.store.indexes import ensure_indexes

    client = open_client(store.uri, timeout_ms=10_000)
    try:
        db = client["index_migration"]
        await db[CREDIT_CONVERSIONS].drop()
        await db[CREDIT_CONVERSIONS].create_indexes([IndexModel([("outcome_id", 1)], name="outcome_id")])
        await ensure_indexes(db)
        info = await db[CREDIT_CONVERSIONS].index_information()
        assert info["outcome_id"].get("unique") is True
    finally:
        await client.drop_database("index_migration")
        await client.close()


async def test_bookings_indexed_before_pair_keys_get_them_and_keep_one_live_booking_per_pair(store: Any) -> None:
    from bson import ObjectId
    from pymongo import IndexModel
    from pymongo.errors import DuplicateKeyError

    from edugraph.store.collections import EXAM_BOOKINGS, PAIR_KEY, pair_key
    from edugraph.store.connection import open_client
    from edugraph.store.indexes import ensure_indexes

    session, learners = ObjectId(), [ObjectId(), ObjectId()]
    client = open_client(store.uri, timeout_ms=10_000)
    try:
        db = client["booking_migration"]
        old_rule = IndexModel(
            [("session_id", 1), ("learner_id", 1)],
            name="one_live_booking_per_learner_and_session",
            unique=True,
            partialFilterExpression={"status": "BOOKED"},
        )
        await db[EXAM_BOOKINGS].create_indexes([old_rule])
        await db[EXAM_BOOKINGS].insert_many(
            [
                {"session_id": session, "learner_id": learners[0], "status": "BOOKED"},
                {"session_id": session, "learner_id": learners[0], "status": "CANCELLED"},
                {"session_id": session, "learner_id": learners[1], "status": "BOOKED"},
            ]
        )
        await ensure_indexes(db)
        keys = [doc.get(PAIR_KEY) async for doc in db[EXAM_BOOKINGS].find({}, sort=[("_id", 1)])]
        assert keys == [pair_key(session, learners[0]), pair_key(session, learners[0]), pair_key(session, learners[1])]
        info = await db[EXAM_BOOKINGS].index_information()
        assert info["one_live_booking_per_learner_and_session"]["key"] == [(PAIR_KEY, 1)]
        with pytest.raises(DuplicateKeyError):
            await db[EXAM_BOOKINGS].insert_one(
                {PAIR_KEY: keys[0], "session_id": session, "learner_id": learners[0], "status": "BOOKED"}
            )
    finally:
        await client.drop_database("booking_migration")
        await client.close()
