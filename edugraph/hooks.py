"""Schema-extension hooks, looked up once per extension class instead of once per request.

For each phase of every operation (the operation itself, parsing, validation,
execution), Strawberry's runner builds a context manager that asks each extension
whether its class overrides the phase's hook, asks ``inspect`` what kind of function
the hook is, and wraps it in a new ``contextlib.contextmanager`` (``functools.wraps``
included). With five extensions that is 20 lookups and 10 wrappers per request, about
a third of what a trivial query costs. None of it depends on the request: which hooks
a class has, and how each is entered, is a property of the class.

``HookTable`` answers it once per class (and which classes have results to add to
a response's ``extensions``) (``entry`` follows Strawberry's own rules,
``strawberry.extensions.context.ExtensionContextManagerBase.get_hook``), and
``ExtensionsRunner`` — what ``Schema.create_extensions_runner`` returns — enters the
same hooks, in the same order, on the same kind of exit stack as Strawberry does, so
an extension sees no difference. Each schema owns its table: extension classes made per
app (the metrics', the document cache's) are forgotten with it.
"""

from __future__ import annotations

import contextlib
import inspect
from asyncio import iscoroutinefunction
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.utils.await_maybe import await_maybe

PHASES = ("on_operation", "on_parse", "on_validate", "on_execute")
"""The hooks this runner enters; ``on_stream_result`` (incremental delivery) stays Strawberry's."""

EnteredHook = contextlib.AbstractContextManager[None] | contextlib.AbstractAsyncContextManager[None]


@dataclass(frozen=True, slots=True)
class Hook:
    """How to enter one hook of one extension class: ``enter(extension)`` gives its context manager."""

    name: str
    enter: Callable[[SchemaExtension], EnteredHook]
    is_async: bool
    generator: Callable[[SchemaExtension], Iterator[None]] | None = None
    """The hook itself when it is a generator function, which a phase of such hooks only
    can drive directly (``PhaseHooks``)."""


def entry(cls: type[SchemaExtension], name: str) -> Hook | None:
    """The hook ``name`` of ``cls``, or None when the class keeps SchemaExtension's default.

    The same rules as Strawberry's ``get_hook``: a generator is a context manager, an
    async generator an async one, and any other callable runs on entry."""
    function = getattr(cls, name)
    if function is getattr(SchemaExtension, name):
        return None
    if inspect.isgeneratorfunction(function):
        return Hook(name, contextlib.contextmanager(function), is_async=False, generator=function)
    if inspect.isasyncgenfunction(function):
        return Hook(name, contextlib.asynccontextmanager(function), is_async=True)
    if callable(function):
        return _called_on_entry(name, function)
    raise ValueError(f"Hook {name} on {cls} must be callable, received {function!r}")


def _called_on_entry(name: str, function: Callable[[SchemaExtension], Any]) -> Hook:
    if iscoroutinefunction(function):

        @contextlib.asynccontextmanager
        async def awaited(extension: SchemaExtension) -> AsyncIterator[None]:
            await function(extension)
            yield

        return Hook(name, awaited, is_async=True)

    @contextlib.contextmanager
    def called(extension: SchemaExtension) -> Iterator[None]:
        function(extension)
        yield

    return Hook(name, called, is_async=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """What to call on the extensions of one request, by their positions in its list."""

    phases: dict[str, tuple[tuple[int, Hook], ...]]
    """Per phase, the hooks to enter: (position of the extension, hook)."""
    with_results: tuple[int, ...]
    """The extensions whose class overrides ``get_results`` (the default answers ``{}``)."""
    driven: frozenset[str] = frozenset()
    """The phases whose hooks are all generator functions (or that have none): ``DrivenHooks``."""


class HookTable:
    """The hooks of each combination of extension classes a schema has run, per phase."""

    def __init__(self) -> None:
        self._plans: dict[tuple[type[SchemaExtension], ...], Plan] = {}

    def plan(self, extensions: Sequence[SchemaExtension]) -> Plan:
        classes = tuple(type(extension) for extension in extensions)
        plan = self._plans.get(classes)
        if plan is None:
            plan = self._plans[classes] = _plan_for(classes)
        return plan


def _plan_for(classes: tuple[type[SchemaExtension], ...]) -> Plan:
    phases = {}
    for phase in PHASES:
        hooks = ((index, entry(cls, phase)) for index, cls in enumerate(classes))
        phases[phase] = tuple((index, hook) for index, hook in hooks if hook is not None)
    with_results = tuple(i for i, cls in enumerate(classes) if cls.get_results is not SchemaExtension.get_results)
    driven = frozenset(phase for phase, hooks in phases.items() if all(hook.generator for _, hook in hooks))
    return Plan(phases, with_results, driven)


class PhaseHooks:
    """One phase's hooks for one request, entered like Strawberry's
    ``ExtensionContextManagerBase``: in list order on an exit stack, which leaves them
    in reverse order and hands each the exception (if any) coming out of the phase."""

    __slots__ = ("_async_stack", "_extensions", "_hooks", "_stack")

    def __init__(self, extensions: Sequence[SchemaExtension], hooks: tuple[tuple[int, Hook], ...]) -> None:
        self._extensions = extensions
        self._hooks = hooks

    def __enter__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._stack.__enter__()
        for index, hook in self._hooks:
            extension = self._extensions[index]
            if hook.is_async:
                raise RuntimeError(f"SchemaExtension hook {extension}.{hook.name} failed to complete synchronously.")
            self._stack.enter_context(hook.enter(extension))  # type: ignore[arg-type]

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        self._stack.__exit__(exc_type, exc_val, exc_tb)

    async def __aenter__(self) -> None:
        self._async_stack = contextlib.AsyncExitStack()
        await self._async_stack.__aenter__()
        for index, hook in self._hooks:
            entered = hook.enter(self._extensions[index])
            if hook.is_async:
                await self._async_stack.enter_async_context(entered)  # type: ignore[arg-type]
            else:
                self._async_stack.enter_context(entered)  # type: ignore[arg-type]

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        await self._async_stack.__aexit__(exc_type, exc_val, exc_tb)


class DrivenHooks:
    """A phase whose hooks are all generator functions (the service's own extensions'
    are), stepped directly: each is started in list order and resumed in reverse, as
    ``PhaseHooks`` would through its exit stack, without the stack and the
    ``contextlib.contextmanager`` wrapper per hook that cost a trivial query a tenth of
    its time. Only when an exception is in flight — out of the phase, or out of a hook
    as it is left — are the hooks not yet left handed to a ``contextlib.ExitStack``, so
    that what each hook is thrown, what it may suppress and what comes out are exactly
    what an exit stack gives (``tests/test_hooks.py`` compares both with Strawberry's)."""

    __slots__ = ("_extensions", "_hooks", "_started")

    def __init__(self, extensions: Sequence[SchemaExtension], hooks: tuple[tuple[int, Hook], ...]) -> None:
        self._extensions = extensions
        self._hooks = hooks
        self._started: list[Iterator[None]] = []

    def __enter__(self) -> None:
        extensions = self._extensions
        started = self._started
        for index, hook in self._hooks:
            generator = hook.generator(extensions[index])  # type: ignore[misc]
            try:
                next(generator)
            except StopIteration:
                # contextlib's message; like an exit stack, the hooks entered stay entered.
                raise RuntimeError("generator didn't yield") from None
            started.append(generator)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        started = self._started
        if exc_val is not None:
            _leave(started, exc_val)
            return
        while started:
            generator = started.pop()
            try:
                next(generator)
            except StopIteration:
                continue
            except BaseException as error:
                failure = error
            else:
                failure = RuntimeError("generator didn't stop")
            break
        else:
            return
        if not _leave(started, failure):
            raise failure

    async def __aenter__(self) -> None:
        self.__enter__()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        self.__exit__(exc_type, exc_val, exc_tb)


def _leave(started: list[Iterator[None]], error: BaseException) -> bool:
    """Leave the hooks ``started`` (last first) with ``error`` in flight, through an exit
    stack holding each as the context manager ``contextlib.contextmanager`` would have
    made of it; whether one of them suppressed the error."""
    stack = contextlib.ExitStack()
    for generator in started:
        stack.push(contextlib.contextmanager(lambda generator=generator: generator)())
    started.clear()
    return bool(stack.__exit__(type(error), error, error.__traceback__))


class ExtensionsRunner(SchemaExtensionsRunner):
    """Strawberry's runner, with each phase's hooks taken from the schema's ``HookTable``."""

    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension], table: HookTable
    ) -> None:
        super().__init__(execution_context, extensions)
        self._plan = table.plan(self.extensions)

    def operation(self) -> PhaseHooks | DrivenHooks:  # type: ignore[override]
        return self._phase("on_operation")

    def parsing(self) -> PhaseHooks | DrivenHooks:  # type: ignore[override]
        return self._phase("on_parse")

    def validation(self) -> PhaseHooks | DrivenHooks:  # type: ignore[override]
        return self._phase("on_validate")

    def executing(self) -> PhaseHooks | DrivenHooks:  # type: ignore[override]
        return self._phase("on_execute")

    def _phase(self, name: str) -> PhaseHooks | DrivenHooks:
        hooks = self._plan.phases[name]
        if name in self._plan.driven:
            return DrivenHooks(self.extensions, hooks)
        return PhaseHooks(self.extensions, hooks)

    def get_extensions_results_sync(self) -> dict[str, Any]:
        """Strawberry's answer, asking only the extensions that have results to give."""
        data: dict[str, Any] = {}
        for index in self._plan.with_results:
            extension = self.extensions[index]
            if inspect.iscoroutinefunction(extension.get_results):
                raise RuntimeError("Cannot use async extension hook during sync execution")
            data.update(extension.get_results())  # type: ignore[arg-type]
        return data

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        """Strawberry's answer, asking only the extensions that have results to give."""
        data: dict[str, Any] = {}
        for index in self._plan.with_results:
            data.update(await await_maybe(self.extensions[index].get_results()))
        data.update(ctx.extensions_results)
        return data
