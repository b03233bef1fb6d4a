"""The OTLP exporter and tracer provider built from the settings.

The exporters read the standard ``OTEL_EXPORTER_OTLP_*`` variables (headers, timeout,
compression, certificates, endpoint) themselves; ``EDUGRAPH_OTEL_ENDPOINT`` only
overrides the endpoint. The sampler follows ``OTEL_TRACES_SAMPLER`` (default: sample
everything, or follow the caller's decision).
"""

from __future__ import annotations

from importlib.metadata import version
from urllib.parse import urlsplit

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from edugraph.config import Settings

HTTP_TRACES_PATH = "/v1/traces"


def http_traces_url(endpoint: str) -> str:
    """A collector's base URL becomes its traces URL; a URL with a path is kept as given."""
    if urlsplit(endpoint).path.strip("/"):
        return endpoint
    return endpoint.rstrip("/") + HTTP_TRACES_PATH


def otlp_span_exporter(settings: Settings) -> SpanExporter:
    endpoint = settings.otel_endpoint
    if settings.otel_protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter

        return GrpcExporter(endpoint=endpoint)  # plaintext for an http:// endpoint, TLS for https://
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter

    return HttpExporter(endpoint=http_traces_url(endpoint) if endpoint else None)


def otlp_tracer_provider(settings: Settings) -> TracerProvider:
    resource = Resource.create({"service.name": settings.service_name, "service.version": version("edugraph")})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(otlp_span_exporter(settings)))
    return provider
