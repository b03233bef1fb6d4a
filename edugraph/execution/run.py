"""Running a plan for one request.

Values are completed as graphql-core completes them — output coercion for leaves,
lists item by item, objects field by field in the plan's order — into dictionaries
created with all their keys up front, so a value that arrives later still lands in its
place. Awaitables are not turned into tasks: a loader's answer (or a ``Later`` built on
one) gets a listener, an asyncio future a done-callback, and either queues the
completion for the run's own loop; only coroutines, which may need a task of their own
to run in (asyncio's timeouts act on the current task), become tasks. Everything a batch
of completions loads is asked for before the run waits again, so loaders batch at least
as well as under graphql-core.

Anything graphql-core would report as an error, or that the plan does not reproduce
exactly, raises ``Abandon`` (or lets the resolver's own exception through), and the
executor runs the operation the standard way instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from enum import Enum
from functools import partial
from types import CoroutineType, GeneratorType
from typing import TYPE_CHECKING, Any

from graphql import GraphQLObjectType, GraphQLOutputType, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Undefined
from strawberry.types.arguments import convert_arguments

from edugraph.execution.batched import Hop, hopped
from edugraph.execution.later import Later
from edugraph.execution.plan import INT32_MAX, INT32_MIN, FieldPlan, Leaf, ListOf, ObjectOf, OperationPlan
from edugraph.loaders.batch import PENDING, READY, Answer

if TYPE_CHECKING:
    from edugraph.execution.executor import CompiledExecutor

CONVERTED_CAPACITY = 32
"""Converted arguments a field's plan keeps, one per set of variable values: enough for
a page size or two, not a store of every id clients ever ask for."""


class _Absent:
    """A variable not given (which an argument's default then replaces), told apart from null."""


ABSENT = _Absent()
_PLAIN = (str, int, float, bool, type(None), _Absent, Enum)


def _plain(values: Any) -> bool:
    """Whether every value is immutable and hashable: a string, a number, a boolean, null or
    an enum member (not an input object or a list, which a resolver could change)."""
    return all(isinstance(value, _PLAIN) for value in values)


class Abandon(Exception):
    """The plan cannot finish the way graphql-core would; run the standard executor."""


class PathUnavailable(BaseException):
    """A resolver asked for its path, which the plan does not keep.

    A ``BaseException`` so that a resolver's ``except Exception`` cannot swallow it: it
    must reach the executor, which then runs the operation the standard way.
    """


class FieldInfo:
    """graphql-core's resolve info for one field, shared by every object of one request.

    Everything but ``path`` is the same for all the objects a field is resolved on.
    """

    __slots__ = (
        "abort_signal",
        "async_helpers",
        "context",
        "field_name",
        "field_nodes",
        "fragments",
        "is_awaitable",
        "operation",
        "operation_extensions",
        "parent_type",
        "return_type",
        "root_value",
        "schema",
        "variable_values",
    )

    def __init__(self, plan: FieldPlan, executor: CompiledExecutor) -> None:
        assert plan.definition is not None
        self.field_name: str = plan.nodes[0].name.value
        self.field_nodes = plan.nodes
        self.return_type: GraphQLOutputType = plan.definition.type
        self.parent_type: GraphQLObjectType | None = plan.parent_type
        self.schema: GraphQLSchema = executor.schema
        self.fragments = executor.fragment_definitions
        self.root_value = executor.root_value
        self.operation: OperationDefinitionNode = executor.operation
        self.variable_values: dict[str, Any] = executor.variable_values.coerced
        self.context = executor.context_value
        self.is_awaitable = executor.is_awaitable
        self.abort_signal = executor.abort_signal
        self.async_helpers = executor.async_helpers
        self.operation_extensions = getattr(executor, "operation_extensions", None)

    @property
    def path(self) -> Any:
        raise PathUnavailable


# What completing a value of a type involves, found once per type.
_VALUE = 0  # a value to complete as it is
_AWAITABLE = 1  # something to wait for
_REFUSED = 2  # an exception returned as a value, or a generator (which may be awaitable)
_kinds: dict[type, int] = {str: _VALUE, int: _VALUE, float: _VALUE, bool: _VALUE, list: _VALUE, tuple: _VALUE}


def _kind_of(kind: type) -> int:
    known = _kinds.get(kind)
    if known is None:
        if kind is GeneratorType or issubclass(kind, Exception):
            known = _REFUSED
        elif kind is CoroutineType or hasattr(kind, "__await__"):
            known = _AWAITABLE
        else:
            known = _VALUE
        _kinds[kind] = known
    return known


class Run:
    def __init__(self, plan: OperationPlan, executor: CompiledExecutor) -> None:
        self.plan = plan
        self.executor = executor
        self.variables: VariableValues = executor.variable_values
        self.bound: list[dict[str, Any] | None] = [None] * len(plan.fields)
        # A batched relation's loader and transform, found once per request (``prepare``).
        self.prepared: list[tuple[Any, Callable[[Any], Any]] | None] = [None] * len(plan.fields)
        self.default_resolver = executor.setup.config.default_resolver
        self.outstanding = 0
        self.ready: list[tuple[Any, ...]] = []
        self.ready_levels: list[tuple[Any, ...]] = []
        self.waker: asyncio.Future[None] | None = None
        self.tasks: list[asyncio.Future[Any]] = []
        self.unsettled: set[Any] = set()
        self.abandoned = False

    async def execute(self) -> dict[str, Any]:
        # Each object's dictionary is made by its plan's own function (``codegen``).
        data = self.plan.root.filler(self, self.executor.root_value)
        loop = asyncio.get_running_loop()
        try:
            while self.outstanding:
                if not self.ready and not self.ready_levels:
                    self.waker = loop.create_future()
                    await self.waker
                    self.waker = None
                ready, self.ready = self.ready, []
                levels, self.ready_levels = self.ready_levels, []
                self.outstanding -= len(ready) + len(levels)
                for entry in ready:
                    self.resume(*entry)
                for resumption in levels:
                    resumption[0](*resumption[1:])
        except asyncio.CancelledError:
            self.abandon(cancel=True)
            raise
        return data

    async def settle_down(self) -> None:
        """Wait for what the abandoned attempt is still loading, so that the operation runs
        again under the conditions it first met (graphql-core reports errors in the order
        their answers arrive)."""
        for source in list(self.unsettled):
            with contextlib.suppress(Exception):
                await source

    def abandon(self, *, cancel: bool = False) -> None:
        """Stop listening; cancel the tasks started (when cancelled) or let them finish quietly."""
        self.abandoned = True
        for task in self.tasks:
            if cancel:
                task.cancel()
            else:
                task.add_done_callback(_consume)

    # -- Producing objects ------------------------------------------------------------

    def call(self, field: FieldPlan, source: Any) -> Any:
        """A resolver that takes its source object as a named parameter (``root``, ``parent``)."""
        kwargs = self.bound[field.index]
        assert kwargs is not None
        kwargs = {**kwargs, **dict.fromkeys(field.source_parameters, source)}
        function = field.function
        assert function is not None
        if field.passes_self:
            return function(source, **kwargs)
        return function(**kwargs)

    def bind(self, field: FieldPlan) -> dict[str, Any]:
        """The field's converted arguments (and info), the same for every object of the request.

        Arguments that convert to plain values are kept on the field's plan by the values of
        the variables they read, so a later request with the same values skips graphql-core's
        coercion and Strawberry's conversion (``first: 10``, or ``first: $first`` with the
        same ``$first``); invalid arguments raise as before, and are never kept."""
        executor = self.executor
        assert field.definition is not None
        assert field.strawberry_field is not None
        setup = executor.setup
        info = setup.config.info_class(_raw_info=FieldInfo(field, executor), _field=field.strawberry_field)
        key = self._argument_key(field)
        kept = field.converted.get(key) if key is not None else None
        if kept is not None:
            kwargs = kept.copy()
        else:
            coerced = (
                get_argument_values(field.definition, field.nodes[0], self.variables, None, executor.hide_suggestions)
                if field.has_arguments
                else {}
            )
            kwargs = convert_arguments(
                coerced,
                field.strawberry_field.arguments,
                scalar_registry=setup.scalar_registry,
                config=setup.config,
                info=info,
            )
            if key is not None and len(field.converted) < CONVERTED_CAPACITY and _plain(kwargs.values()):
                field.converted[key] = kwargs.copy()
        if field.info_parameter is not None:
            kwargs[field.info_parameter] = info
        return kwargs

    def _argument_key(self, field: FieldPlan) -> tuple[Any, ...] | None:
        """The values of the variables the field's arguments read (``ABSENT`` for one not
        given, which is not null), each with its type (``1``, ``1.0`` and ``True`` are
        equal keys of a dict), or None when one of them cannot be a key."""
        names = field.argument_variables
        if not names:
            return ()
        coerced = self.variables.coerced
        values = [coerced.get(name, ABSENT) for name in names]
        return tuple((type(value), value) for value in values) if _plain(values) else None

    # -- Completing values ------------------------------------------------------------

    def settle(self, completion: Any, nullable: bool, value: Any, container: Any, key: Any) -> None:
        """Complete ``value`` into ``container[key]`` now, or once it has arrived."""
        if value is None or value is Undefined:
            if not nullable:
                raise Abandon("null in a non-null position")
            return
        kind = type(value)
        how = _kinds.get(kind)
        if how is None:
            how = _kind_of(kind)
        if how:
            if how == _AWAITABLE:
                self.wait(value, completion, nullable, container, key)
                return
            raise Abandon("a resolver returned an exception or a generator")
        if type(completion) is Leaf:
            if kind is completion.unchanged or (kind is int and completion.int32 and INT32_MIN <= value <= INT32_MAX):
                container[key] = value
                return
            coerced = completion.coerce(value)
            if coerced is None or coerced is Undefined:
                raise Abandon("a leaf coerced to null")
            container[key] = coerced
        elif type(completion) is ObjectOf:
            container[key] = completion.plan.filler(self, value)
        else:
            self.settle_list(completion, value, container, key)

    def settle_list(self, completion: ListOf, value: Any, container: Any, key: Any) -> None:
        if type(value) is not list and type(value) is not tuple:
            raise Abandon("a list field returned something other than a list")
        items: list[Any] = [None] * len(value)
        container[key] = items
        item, item_nullable = completion.item, completion.item_nullable
        settle = self.settle
        if type(item) is ObjectOf:
            if _all_at_hand(value):
                # Objects ready at hand (the usual page of nodes): filled as one level.
                items[:] = item.plan.list_filler(self, value if type(value) is list else list(value))
                return
            fill, kinds = item.plan.filler, _kinds
            for index, element in enumerate(value):
                if element is not None and kinds.get(type(element)) == _VALUE:
                    items[index] = fill(self, element)
                else:
                    settle(item, item_nullable, element, items, index)
            return
        for index, element in enumerate(value):
            settle(item, item_nullable, element, items, index)

    def settle_values(
        self, completion: Any, nullable: bool, values: list[Any], containers: list[dict[str, Any]], key: str
    ) -> None:
        """Complete one field's ``values`` into the ``containers`` of a level, in order: objects
        (or lists of objects) ready at hand are filled as one list, the rest one by one."""
        item = completion.item if type(completion) is ListOf else None
        if type(completion) is ObjectOf and _all_at_hand(values):
            for container, filled in zip(containers, completion.plan.list_filler(self, values), strict=True):
                container[key] = filled
            return
        flat = _flattened(values) if type(item) is ObjectOf else None
        if flat is not None and _all_at_hand(flat):
            # Every list of the level as one list of objects, split again once filled.
            filled_items = item.plan.list_filler(self, flat)  # type: ignore[union-attr]
            start = 0
            for container, value in zip(containers, values, strict=True):
                end = start + len(value)
                container[key] = filled_items[start:end]
                start = end
            return
        settle = self.settle
        for container, value in zip(containers, values, strict=True):
            settle(completion, nullable, value, container, key)

    def settle_batched(self, field: FieldPlan, sources: list[Any], containers: list[dict[str, Any]]) -> None:
        """Resolve a batched relation for a level of parents: their keys loaded in one call,
        the level resumed once their batches are in."""
        prepared = self.prepared[field.index]
        if prepared is None:
            kwargs = self.bound[field.index]
            if kwargs is None:
                kwargs = self.bound[field.index] = self.bind(field)
            assert field.batched is not None
            prepared = self.prepared[field.index] = field.batched.prepare(kwargs)
        loader, then = prepared
        answers = loader.load_all(list(map(field.key_of, sources)))  # type: ignore[arg-type]
        self.when_loaded(answers, (self.resume_level, field, then, answers, containers))

    def when_loaded(self, answers: list[Answer[Any]], resumption: tuple[Any, ...]) -> None:
        """Call ``resumption[0](*resumption[1:])`` once every answer is in: at once if they
        are, else when the last of their batches is (one listener per batch, not per answer)."""
        waiting = {answer.batch: answer for answer in answers if answer.state == PENDING}
        if not waiting:
            resumption[0](*resumption[1:])
            return
        self.outstanding += 1
        countdown = [len(waiting), resumption]
        for batch, answer in waiting.items():
            self.unsettled.add(answer)
            batch.add_listener(self._batch_arrived, (countdown, answer))

    def _batch_arrived(self, argument: tuple[list[Any], Any], batch: Any) -> None:
        countdown, answer = argument
        self.unsettled.discard(answer)
        if self.abandoned:
            return
        countdown[0] -= 1
        if countdown[0] == 0:
            self.ready_levels.append(countdown[1])
            waker = self.waker
            if waker is not None and not waker.done():
                waker.set_result(None)

    def resume_level(
        self, field: FieldPlan, then: Callable[[Any], Any], answers: list[Answer[Any]], containers: list[dict[str, Any]]
    ) -> None:
        values = [then(value) for value in _values(answers)]
        if values and type(values[0]) is Hop:
            self.hop(field, values, containers)
        else:
            self.settle_values(field.completion, field.nullable, values, containers, field.key)

    def hop(self, field: FieldPlan, hops: list[Any], containers: list[dict[str, Any]]) -> None:
        """A relation's second step for the level: every parent's keys loaded in one call."""
        loader = hops[0].loader
        if not all(type(hop) is Hop and hop.loader is loader for hop in hops):
            values = [hopped(hop) for hop in hops]
            self.settle_values(field.completion, field.nullable, values, containers, field.key)
            return
        answers = loader.load_all([key for hop in hops for key in hop.keys])
        self.when_loaded(answers, (self.resume_hops, field, hops, answers, containers))

    def resume_hops(
        self, field: FieldPlan, hops: list[Hop[Any, Any, Any]], answers: list[Answer[Any]], containers: list[Any]
    ) -> None:
        loaded = _values(answers)
        values: list[Any] = []
        start = 0
        for hop in hops:
            end = start + len(hop.keys)
            values.append(hop.finish(loaded[start:end]))
            start = end
        self.settle_values(field.completion, field.nullable, values, containers, field.key)

    def wait(self, value: Any, completion: Any, nullable: bool, container: Any, key: Any) -> None:
        then: Callable[[Any], Any] | None = None
        if type(value) is Later:
            value, then = value.source, value.then
        entry = (value, then, completion, nullable, container, key)
        self.outstanding += 1
        if type(value) is Answer or _listens(type(value)):
            # A loader's answer: it calls back directly, without a trip through the loop.
            self.unsettled.add(value)
            value.add_listener(self._arrived, entry)
            return
        if not isinstance(value, asyncio.Future):
            value = asyncio.ensure_future(value)
            self.tasks.append(value)
            entry = (value, *entry[1:])
        self.unsettled.add(value)
        value.add_done_callback(partial(self._arrived, entry))

    def _arrived(self, entry: tuple[Any, ...], source: Any) -> None:
        """A listener of a loader's answer, or (with ``partial``) a future's done-callback."""
        self.unsettled.discard(source)
        if self.abandoned:
            return
        self.ready.append(entry)
        waker = self.waker
        if waker is not None and not waker.done():
            waker.set_result(None)

    def resume(
        self,
        future: Any,
        then: Callable[[Any], Any] | None,
        completion: Any,
        nullable: bool,
        container: Any,
        key: Any,
    ) -> None:
        if type(future) is Answer and future.state == READY:
            value = future.value
        else:
            if future.cancelled():
                raise Abandon("an awaited value was cancelled")
            error = future.exception()
            if error is not None:
                raise Abandon("an awaited value failed") from error
            value = future.result()
        if then is not None:
            value = then(value)
        self.settle(completion, nullable, value, container, key)


def _values(answers: list[Answer[Any]]) -> list[Any]:
    """The loaded values, or ``Abandon`` for a failed load (graphql-core reports it)."""
    values: list[Any] = []
    for answer in answers:
        if answer.state != READY:
            raise Abandon("a batched load failed") from answer.exception()
        values.append(answer.value)
    return values


def _all_at_hand(values: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every value is an object to complete as it is: none null, none to wait for."""
    kinds = _kinds
    for value in values:
        if value is None:
            return False
        kind = kinds.get(type(value))
        if kind is None:
            kind = _kind_of(type(value))
        if kind != _VALUE:
            return False
    return True


def _flattened(values: list[Any]) -> list[Any] | None:
    """The elements of every list of ``values`` as one list; None when one is not a list."""
    flat: list[Any] = []
    for value in values:
        if type(value) is not list and type(value) is not tuple:
            return None
        flat += value
    return flat


_listening_types: dict[type, bool] = {}


def _listens(kind: type) -> bool:
    """Whether values of ``kind`` take listeners (a loader's answers) rather than loop callbacks."""
    known = _listening_types.get(kind)
    if known is None:
        known = _listening_types[kind] = callable(getattr(kind, "add_listener", None))
    return known


def _consume(task: asyncio.Future[Any]) -> None:
    """Retrieve a discarded task's outcome, so asyncio does not log it as never retrieved."""
    if not task.cancelled():
        task.exception()
