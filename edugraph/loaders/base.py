"""The three shapes of batched read every relation in the graph is built from.

* by id: one document per key (``institution_by_id``);
* many by key: every document whose foreign key is the parent's id, for short bounded
  lists (``certification_centres_by_host_institution_id``);
* page by key: one page plus the total count per parent, for connections
  (``courses_by_institution_id``) — a single aggregation for all parents of a nesting
  level, so a page of 50 institutions costs what a page of 5 does.

Each batch function sends exactly one command, whatever the number of keys, and takes
its documents with ``to_list``: ``async for`` would cost a coroutine step per document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from edugraph.loaders.batch import Loader
from edugraph.metrics import Metrics, observe_batch
from edugraph.policy import AccessPolicy, combine
from edugraph.tracing import batch_span

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

Document = dict[str, Any]
_BEFORE_CURSOR = "_edugraph_before_cursor"


def match_keys(field: str, keys: Sequence[Hashable]) -> dict[str, Any]:
    """A filter on ``field`` being one of ``keys`` (plain equality for a single key).

    The keys are a loader's batch, so each comes once: no deduplication, which would hash
    every ObjectId once more (a Python-level ``__hash__``) for nothing."""
    if len(keys) == 1:
        return {field: keys[0]}
    return {field: {"$in": list(keys)}}


@dataclass(frozen=True, slots=True)
class Page:
    """Up to ``first + 1`` documents after the cursor (the extra one says there is more)."""

    total: int
    documents: list[Document]


EMPTY_PAGE = Page(total=0, documents=[])


async def load_by_id(
    db: AsyncDatabase[Document], collection: str, keys: Sequence[ObjectId], visible: Document
) -> list[Document | None]:
    cursor = db[collection].find(combine(match_keys("_id", keys), visible), batch_size=max(len(keys), 1))
    found = {doc["_id"]: doc for doc in await cursor.to_list()}
    return [found.get(key) for key in keys]


async def load_many_by(
    db: AsyncDatabase[Document],
    collection: str,
    field: str,
    keys: Sequence[Hashable],
    visible: Document,
    fields: tuple[str, ...] | None = None,
) -> list[list[Document]]:
    grouped: dict[Any, list[Document]] = defaultdict(list)
    query = combine(match_keys(field, keys), visible)
    projection = None if fields is None else dict.fromkeys((*fields, field), 1)
    for doc in await db[collection].find(query, projection, sort=[("_id", 1)], batch_size=1000).to_list():
        grouped[doc[field]].append(doc)
    return [grouped.get(key, []) for key in keys]


def page_pipeline(
    match: Document, field: str, *, first: int, after: ObjectId | None, fields: tuple[str, ...] | None
) -> list[Document]:
    """The aggregation that answers, per value of ``field`` among the documents ``match``
    selects, the total and the first ``first + 1`` documents after ``after`` by ``_id``
    (only their ``fields``, when given).

    A first page sorts by (``field``, ``_id``), the order of the key's index, so MongoDB
    walks the index instead of sorting, and each group keeps its first documents as they
    come (``$firstN``). After a cursor, documents at or before it still count towards the
    total but sort behind the rest inside ``$topN``, so one pass yields both numbers on
    any MongoDB ≥ 5.2.
    """
    pipeline: list[Document] = [{"$match": match}]
    accumulators: Document = {"total": {"$sum": 1}}
    if first > 0 and after is None:
        pipeline.append({"$sort": {field: 1, "_id": 1}})
        accumulators["documents"] = {"$firstN": {"n": first + 1, "input": _output(fields)}}
    elif first > 0:
        pipeline.append({"$addFields": {_BEFORE_CURSOR: {"$lte": ["$_id", after]}}})
        sort_by = {_BEFORE_CURSOR: 1, "_id": 1}
        output = _output(fields, _BEFORE_CURSOR)
        accumulators["documents"] = {"$topN": {"n": first + 1, "sortBy": sort_by, "output": output}}
    pipeline.append({"$group": {"_id": f"${field}", **accumulators}})
    return pipeline


def _output(fields: tuple[str, ...] | None, *marks: str) -> Any:
    """What a page keeps of each document: the whole of it, or its ``fields`` (and ``marks``)."""
    return "$$ROOT" if fields is None else {name: f"${name}" for name in (*fields, *marks)}


async def load_pages_by(
    db: AsyncDatabase[Document],
    collection: str,
    field: str,
    keys: Sequence[Hashable],
    *,
    first: int,
    after: ObjectId | None,
    visible: Document,
    fields: tuple[str, ...] | None = None,
) -> list[Page]:
    """One aggregation (``page_pipeline``): per key, the total and the first ``first + 1``
    documents after ``after`` (only their ``fields``, when given)."""
    pipeline = page_pipeline(combine(match_keys(field, keys), visible), field, first=first, after=after, fields=fields)
    pages: dict[Any, Page] = {}
    cursor = await db[collection].aggregate(pipeline, batchSize=max(len(keys), 1))
    for group in await cursor.to_list():
        documents = group.get("documents", [])
        if after is not None:
            # Only then do documents carry the mark (and the ones before the cursor count only).
            documents = [doc for doc in documents if not doc.pop(_BEFORE_CURSOR, False)]
        pages[group["_id"]] = Page(total=group["total"], documents=documents)
    return [pages.get(key, EMPTY_PAGE) for key in keys]


@dataclass(frozen=True, slots=True)
class _Reads:
    """What the batch functions of one request read through, and nothing that leads back
    to its ``LoaderRegistry``.

    A batch function is held by its loader, which the registry holds: one that reached the
    registry again would put the whole request — every loader, answer and page — in a
    reference cycle, which Python frees only when its garbage collector next runs (some
    500 objects a directory page, collected by walking them) rather than the moment the
    request is done with them."""

    db: AsyncDatabase[Document]
    policy: AccessPolicy
    metrics: Metrics | None
    tracer: Tracer | None

    def counted(self, shape: str, collection: str, size: int) -> AbstractContextManager[object]:
        """Count one batch for /metrics and, when tracing, give it a span."""
        observe_batch(self.metrics, collection, size)
        if self.tracer is None:
            return nullcontext()
        return batch_span(self.tracer, shape, collection, size)


class LoaderRegistry:
    """The per-request DataLoaders, created on first use.

    Loaders live for one request only (created in ``get_context``), so their caches never
    serve one client's data to another or outlive a write. Paged loaders are keyed by
    their page arguments too: two connections with different ``first`` on the same
    level are two batches, the same arguments share one.
    """

    def __init__(
        self,
        db: AsyncDatabase[Document],
        policy: AccessPolicy,
        metrics: Metrics | None = None,
        tracer: Tracer | None = None,
        *,
        batching: bool = True,
    ) -> None:
        self.policy = policy
        self._reads = _Reads(db, policy, metrics, tracer)
        self._loaders: dict[tuple[Hashable, ...], Loader[Any, Any]] = {}
        # Batching off (a benchmark baseline only): one query per key, nothing cached.
        self._batching = batching

    def by_id(self, collection: str) -> Loader[ObjectId, Document | None]:
        key = ("by_id", collection)
        loader = self._loaders.get(key)
        if loader is None:
            reads = self._reads

            async def batch(keys: list[ObjectId]) -> list[Document | None]:
                with reads.counted("by_id", collection, len(keys)):
                    visible = await reads.policy.row_filter(collection)
                    if visible is None:
                        return [None] * len(keys)
                    return await load_by_id(reads.db, collection, keys, visible)

            loader = self._loaders[key] = Loader(batch, batching=self._batching)
        return loader

    def many_by(
        self, collection: str, field: str, fields: tuple[str, ...] | None = None
    ) -> Loader[ObjectId, list[Document]]:
        """Lists per parent; with ``fields``, documents with those fields only (never handed
        to the by-id loader)."""
        key = ("many_by", collection, field, fields)
        loader = self._loaders.get(key)
        if loader is None:
            reads = self._reads
            primed = self.by_id(collection) if fields is None else None

            async def batch(keys: list[ObjectId]) -> list[list[Document]]:
                with reads.counted("many_by", collection, len(keys)):
                    visible = await reads.policy.row_filter(collection)
                    if visible is None:
                        return [[] for _ in keys]
                    lists = await load_many_by(reads.db, collection, field, keys, visible, fields)
                if primed is not None:
                    _prime(primed, (doc for docs in lists for doc in docs))
                return lists

            loader = self._loaders[key] = Loader(batch, batching=self._batching)
        return loader

    def pages_by(
        self, collection: str, field: str, *, first: int, after: ObjectId | None, fields: tuple[str, ...] | None = None
    ) -> Loader[ObjectId, Page]:
        """Pages per parent; with ``fields``, documents with those fields only (and then not
        handed to the by-id loader, whose answers must be whole documents)."""
        key = ("pages_by", collection, field, first, after, fields)
        loader = self._loaders.get(key)
        if loader is None:
            reads = self._reads
            primed = self.by_id(collection) if fields is None else None

            async def batch(keys: list[ObjectId]) -> list[Page]:
                with reads.counted("pages_by", collection, len(keys)):
                    visible = await reads.policy.row_filter(collection)
                    if visible is None:
                        return [EMPTY_PAGE for _ in keys]
                    pages = await load_pages_by(
                        reads.db, collection, field, keys, first=first, after=after, visible=visible, fields=fields
                    )
                if primed is not None:
                    _prime(primed, (doc for page in pages for doc in page.documents))
                return pages

            loader = self._loaders[key] = Loader(batch, batching=self._batching)
        return loader

    def fresh(self) -> LoaderRegistry:
        """A registry with nothing loaded yet, for the same caller."""
        reads = self._reads
        return LoaderRegistry(
            reads.db, AccessPolicy(reads.db, self.policy.viewer), reads.metrics, reads.tracer, batching=self._batching
        )

    def forget(self) -> None:
        """Drop every cached answer: after a write, this request reads afresh."""
        for loader in self._loaders.values():
            loader.clear_all()


def _prime(by_id: Loader[ObjectId, Document | None], documents: Iterable[Document]) -> None:
    """Hand what a list loader fetched to the by-id loader, so a later lookup is free."""
    by_id.prime_many((doc["_id"], doc) for doc in documents)
