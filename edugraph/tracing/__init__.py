"""OpenTelemetry traces, off unless ``EDUGRAPH_TRACING=true``.

One trace per GraphQL operation: the operation span (continuing the caller's trace when
a gateway sends ``traceparent``), spans for parsing, validation and the resolvers that
wait on something, one span per DataLoader batch and one per MongoDB command beneath.

When tracing is off nothing of this package runs per request: the schema gets no
extension, the MongoDB client no listener, the loaders no tracer. The app owns its
tracer provider rather than installing a global one, so that several apps in one
process (tests, development workers) each keep their own.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractContextManager
from functools import partial
from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from opentelemetry.trace import Span, Tracer
from pymongo.monitoring import CommandListener

from edugraph.config import Settings
from edugraph.tracing.mongodb import CommandSpans
from edugraph.tracing.operations import OperationSpans

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

INSTRUMENTATION_NAME = "edugraph"


class Tracing:
    """What tracing adds to one app: a tracer, the schema extension, the command listener."""

    def __init__(self, provider: TracerProvider, *, all_resolvers: bool = False, owns_provider: bool = False) -> None:
        self.provider = provider
        self.tracer: Tracer = provider.get_tracer(INSTRUMENTATION_NAME, version("edugraph"))
        self._all_resolvers = all_resolvers
        self._owns_provider = owns_provider

    @classmethod
    def from_settings(cls, settings: Settings, provider: TracerProvider | None = None) -> Tracing | None:
        """The app's tracing, or None when it is off; without ``provider``, one exporting over OTLP."""
        if not settings.tracing_enabled:
            return None
        owns = provider is None
        if provider is None:
            from edugraph.tracing.export import otlp_tracer_provider

            provider = otlp_tracer_provider(settings)
        return cls(provider, all_resolvers=settings.trace_resolvers == "all", owns_provider=owns)

    def extension(self) -> Any:
        return partial(OperationSpans, tracer=self.tracer, all_resolvers=self._all_resolvers)

    def command_listener(self) -> CommandListener:
        return CommandSpans(self.tracer)

    async def shutdown(self) -> None:
        """Send the spans still queued (a provider passed in belongs to its owner)."""
        if self._owns_provider:
            await asyncio.to_thread(self.provider.shutdown)


def batch_span(tracer: Tracer, shape: str, collection: str, size: int) -> AbstractContextManager[Span]:
    """The span of one DataLoader batch; the MongoDB command it sends becomes its child."""
    return tracer.start_as_current_span(
        f"dataloader {collection}",
        attributes={
            "edugraph.dataloader.shape": shape,
            "edugraph.dataloader.batch_size": size,
            "db.collection.name": collection,
        },
    )
