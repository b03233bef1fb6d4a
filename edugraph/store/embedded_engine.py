"""The embedded server's storage engine: mongoeco's SQLite engine, set up for the graph's reads.

Three things differ from mongoeco's defaults, each to do what a real MongoDB does:

* blocking aggregation stages spill to disk past a budget, instead of failing;
* a batched read by ObjectId keys — ``{field: {"$in": [...]}}``, the one query every
  DataLoader sends — is answered from an index, instead of by testing every document
  of the collection against every key;
* a top-level page — ordered by ``_id``, after a cursor on ``_id`` — walks the primary
  key in order and stops at its limit, instead of sorting the whole collection.

Nothing here changes what a query returns: a query this engine cannot narrow goes to
mongoeco unchanged, and ``tests/test_embedded_engine.py`` compares both engines' answers.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mongoeco import ObjectId
from mongoeco.core.query_plan import (
    EqualsCondition,
    ExistsCondition,
    GreaterThanCondition,
    GreaterThanOrEqualCondition,
    InCondition,
    LessThanCondition,
    LessThanOrEqualCondition,
    QueryNode,
)
from mongoeco.engines._sqlite_plan_heuristics import sort_requires_python
from mongoeco.engines.sqlite import SQLiteEngine
from mongoeco.engines.sqlite_query import index_expressions_sql, json_path_for_field, type_expression_sql

MATERIALIZATION_LIMIT = 50_000
"""mongoeco's own default budget of documents a blocking stage (``$group``, ``$sort``)
holds in memory; above it the stage spills to the SQLite file."""

_OBJECT_ID_TYPE = "objectid"
"""How mongoeco tags an ObjectId in its stored JSON (``{"$mongoeco": {"type": ..., "value": hex}}``)."""

SqlFragment = tuple[str, list[object]]

_ID_RANGES: dict[type[QueryNode], str] = {
    GreaterThanCondition: ">",
    GreaterThanOrEqualCondition: ">=",
    LessThanCondition: "<",
    LessThanOrEqualCondition: "<=",
}
"""``_id`` comparisons as comparisons of storage keys (see ``_ids_are_object_ids``)."""

_OBJECT_IDS_ONLY = "edugraph:object_id_ids"
"""This engine's entry in mongoeco's per-collection feature cache, which every write to
the collection clears."""


class GraphReadsEngine(SQLiteEngine):
    """mongoeco's SQLite engine, answering reads by ObjectId keys from indexes.

    mongoeco 4.11 translates ``$in`` to one OR-ed pair of clauses per key — "equals
    the key" or "is an array holding the key" — which SQLite cannot answer from an index,
    so a batch of 170 keys over 30,000 documents tests all 30,000 against all 170 keys
    (3.2 s; 0.3 s narrowed). Equality on ``_id`` has no index either. Where the
    answer provably cannot differ, this engine writes the same test as one SQL ``IN``:

    * on ``_id``, over the table's primary key (a document's storage key is its
      ``_id``'s canonical form, and an ``_id`` is never an array);
    * on a top-level field covered by a compound index (every loader key is, see
      ``_key`` in ``edugraph/store/collections.py``), when no document of the
      collection holds an array there — the same condition under which mongoeco itself
      narrows a single equality to its scalar form.

    Top-level pages (``resolvers/paging.py``) read ``_id`` order: mongoeco sorts by an
    expression over each document's JSON, so a page of 50 learners sorted all 11,660
    at scale 0.01 (about 80 ms, ten times that at 0.1). When every ``_id`` of the
    collection is an ObjectId, a storage key sorts as its ``_id`` does, so the page is
    read in primary-key order instead, and a cursor's ``_id`` bound compares storage
    keys; ``{"_id": {"$exists": true}}`` (how a count says "every document") holds for
    every document.
    """

    def _build_scalar_sort_select_sql(
        self,
        db_name: str,
        coll_name: str,
        plan: QueryNode,
        *,
        select_clause: str,
        sort: Any,
        skip: int,
        limit: int | None,
        hint: Any,
    ) -> SqlFragment | None:
        if hint is None and _by_id_alone(sort) and self._ids_are_object_ids(db_name, coll_name):
            order = "ASC" if sort[0][1] == 1 else "DESC"
            statement: SqlFragment = self._build_select_statement_with_custom_order(
                select_clause=select_clause,
                from_clause="documents",
                namespace_sql="db_name = ? AND coll_name = ?",
                namespace_params=(db_name, coll_name),
                where_fragment=self._translate_query_plan_with_multikey(db_name, coll_name, plan),
                order_sql=f" ORDER BY storage_key {order}",
                skip=skip,
                limit=limit,
            )
            return statement
        stock: SqlFragment | None = super()._build_scalar_sort_select_sql(
            db_name, coll_name, plan, select_clause=select_clause, sort=sort, skip=skip, limit=limit, hint=hint
        )
        return stock

    def _translate_query_plan_with_multikey(self, db_name: str, coll_name: str, plan: QueryNode) -> SqlFragment:
        narrowed = self._narrowed_key_read(db_name, coll_name, plan)
        if narrowed is not None:
            return narrowed
        translated: SqlFragment = super()._translate_query_plan_with_multikey(db_name, coll_name, plan)
        return translated

    def _sort_requires_python(self, db_name: str, coll_name: str, plan: QueryNode, sort: Any) -> bool:
        """mongoeco's check, before a sorted read, that no matched document sorts oddly
        (an array or a special number under the sort key), given this engine's translation
        of the filter: the stock one is a scan that fails past 499 keys."""
        if _by_id_alone(sort) and self._ids_are_object_ids(db_name, coll_name):
            return False  # an ObjectId is neither an array nor a number: no matched document to look at
        requires_python: bool = sort_requires_python(
            db_name=db_name,
            coll_name=coll_name,
            plan=plan,
            sort=sort,
            plan_has_array_traversing_paths=self._plan_has_array_traversing_paths,
            translate_query_plan=lambda node: self._translate_query_plan_with_multikey(db_name, coll_name, node),
            field_traverses_array_in_collection=self._field_traverses_array_in_collection,
            field_contains_tagged_bytes_in_collection=self._field_contains_tagged_bytes_in_collection,
            field_contains_tagged_undefined_in_collection=self._field_contains_tagged_undefined_in_collection,
            fetchone=lambda sql, params: self._require_connection().execute(sql, params).fetchone(),
            type_expression_sql=type_expression_sql,
            json_path_for_field=json_path_for_field,
        )
        return requires_python

    def _narrowed_key_read(self, db_name: str, coll_name: str, plan: QueryNode) -> SqlFragment | None:
        if isinstance(plan, ExistsCondition) and plan.field == "_id" and plan.value is True:
            return "1 = 1", []  # every stored document has an _id
        operator = _ID_RANGES.get(type(plan))
        if operator is not None:
            bound: Any = getattr(plan, "value", None)
            if getattr(plan, "field", None) != "_id" or type(bound) is not ObjectId:
                return None
            if not self._ids_are_object_ids(db_name, coll_name):
                return None
            return f"documents.storage_key {operator} ?", [self._storage_key(bound)]
        if isinstance(plan, InCondition):
            field, keys = plan.field, plan.values
        elif isinstance(plan, EqualsCondition) and plan.field == "_id":
            field, keys = plan.field, (plan.value,)
        else:
            return None
        if not keys or not all(type(key) is ObjectId for key in keys):
            return None
        if field == "_id":
            return f"documents.storage_key IN ({_text_literals(self._storage_key(key) for key in keys)})", []
        if "." in field or self._may_hold_arrays(db_name, coll_name, field):
            return None
        type_sql, value_sql = index_expressions_sql(field)
        return f"{type_sql} = ? AND {value_sql} IN ({_text_literals(str(key) for key in keys)})", [_OBJECT_ID_TYPE]

    def _ids_are_object_ids(self, db_name: str, coll_name: str) -> bool:
        """True when every ``_id`` in the collection is an ObjectId: then storage keys —
        the same text before and after each ``_id``'s 24 hexadecimal digits — sort as the
        ``_id``s do (checked once per collection until its next write)."""
        feature = (db_name, coll_name, _OBJECT_IDS_ONLY)
        cache: dict[Any, Any] = self._collection_features_cache
        known = cache.get(feature)
        if known is not None:
            return bool(known)
        sample = self._storage_key(ObjectId(_ZERO_HEX))
        before, _, after = sample.partition(_ZERO_HEX)
        other = (
            self._require_connection()
            .execute(
                "SELECT 1 FROM documents WHERE db_name = ? AND coll_name = ? AND (length(storage_key) != ? "
                "OR substr(storage_key, 1, ?) != ? OR substr(storage_key, -?) != ?) LIMIT 1",
                (db_name, coll_name, len(sample), len(before), before, len(after), after),
            )
            .fetchone()
        )
        cache[feature] = other is None
        return other is None

    def _may_hold_arrays(self, db_name: str, coll_name: str, field: str) -> bool:
        """True when ``field`` may be an array in some document: it has a multikey index,
        or a document holds one (mongoeco caches this per collection until a write)."""
        multikey_index: Any = self._find_multikey_index(db_name, coll_name, field)
        if multikey_index is not None:
            return True
        holds_array: bool = self._field_is_top_level_array_in_collection(db_name, coll_name, field)
        return holds_array


_ZERO_HEX = "0" * 24


def _by_id_alone(sort: Any) -> bool:
    """Whether ``sort`` is ``_id`` alone, ascending or descending."""
    return bool(sort) and len(sort) == 1 and sort[0][0] == "_id" and sort[0][1] in (1, -1)


def _text_literals(texts: Iterable[str]) -> str:
    """SQL string literals, written into the statement rather than bound: a batch may
    hold more keys than SQLite binds parameters (32,766), and a key is an ObjectId's hex
    or its storage key, quoted the way SQL quotes (``'`` doubled)."""
    return ", ".join("'" + text.replace("'", "''") + "'" for text in texts)


def sqlite_engine(path: Path, *, materialization_limit: int = MATERIALIZATION_LIMIT) -> GraphReadsEngine:
    """The embedded server's engine over the SQLite file at ``path``.

    Out of the box mongoeco fails any ``$group`` or ``$sort`` over more than
    ``materialization_limit`` documents unless spilling is configured, whatever the size
    of its result: at scale 0.1 the yearly statistics (a ``$group`` by year over 116,600
    learners) failed. MongoDB 6.0 and later spill such stages by default
    (``allowDiskUseByDefault``), and this makes the embedded server do the same.
    """
    return GraphReadsEngine(
        path=str(path),
        aggregation_materialization_limit=materialization_limit,
        aggregation_spill_threshold=materialization_limit,
    )


async def close_engine(engine: SQLiteEngine) -> None:
    """Disconnect, reporting in one line instead of raising what mongoeco raises last.

    mongoeco renews its change-stream consumers from a background thread; when a renewal
    met the database locked by a long write (at scale 0.1, an aggregation spilling to
    disk), ``disconnect`` raises that stored error after it has closed every connection,
    with every write committed. Nothing is lost, so ``edugraph db`` says so and exits cleanly
    instead of ending the benchmark's or the tests' run with a traceback.
    """
    try:
        await engine.disconnect()
    except sqlite3.OperationalError as error:
        print(f"edugraph db: closed; a background heartbeat had failed before ({error})", file=sys.stderr, flush=True)
