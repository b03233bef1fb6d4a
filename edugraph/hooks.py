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


def entry(cls: type[SchemaExtension], name: str) -> Hook | None:
    """The hook ``name`` of ``cls``, or None when the class keeps SchemaExtension's default.

    The same rules as Strawberry's ``get_hook``: a generator is a context manager, an
    async generator an async one, and any other callable runs on entry."""
    function = getattr(cls, name)
    if function is getattr(SchemaExtension, name):
        return None
    if inspect.isgeneratorfunction(function):
        return Hook(name, contextlib.contextmanager(function), is_async=False)
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
    return Plan(phases, with_results)


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


class ExtensionsRunner(SchemaExtensionsRunner):
    """Strawberry's runner, with each phase's hooks taken from the schema's ``HookTable``."""

    def __init__(
        self, execution_context: ExecutionContext, extensions: list[SchemaExtension], table: HookTable
    ) -> None:
        super().__init__(execution_context, extensions)
        self._plan = table.plan(self.extensions)

    def operation(self) -> PhaseHooks:  # type: ignore[override]
        return PhaseHooks(self.extensions, self._plan.phases["on_operation"])

    def parsing(self) -> PhaseHooks:  # type: ignore[override]
        return PhaseHooks(self.extensions, self._plan.phases["on_parse"])

    def validation(self) -> PhaseHooks:  # type: ignore[override]
        return PhaseHooks(self.extensions, self._plan.phases["on_validate"])

    def executing(self) -> PhaseHooks:  # type: ignore[override]
        return PhaseHooks(self.extensions, self._plan.phases["on_execute"])

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
