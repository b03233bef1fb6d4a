"""OpenTelemetry traces: one trace per operation, with its loaders and MongoDB commands beneath."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
import httpx
import pytest
from conftest import Store, app_client, contract, settings_for, token_for
from helpers import busiest
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from services import serving_http

from edugraph.auth import Role
from edugraph.ids import IdPrefix, to_public_id
from edugraph.server import create_app
from edugraph.store import collections as c
from edugraph.tracing.export import http_traces_url

SERVICE = {"EDUGRAPH_SERVICE_NAME": "edugraph-test"}
ADMIN = {"authorization": f"Bearer {token_for(Role.PLATFORM_ADMIN, subject='admin')}"}


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


@pytest.fixture
async def profile_id(db: Any) -> str:
    """An institution with courses, so the profile fans out into several loaders."""
    return to_public_id(IdPrefix.INSTITUTION, await busiest(db, c.COURSES, "institution_id"))


async def post(http: httpx.AsyncClient, query: str, variables: dict[str, Any], **headers: str) -> httpx.Response:
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers={**ADMIN, **headers})
    assert response.status_code == 200, response.text
    return response


def one(spans: list[ReadableSpan], name: str) -> ReadableSpan:
    found = [span for span in spans if span.name == name]
    assert len(found) == 1, [span.name for span in spans]
    return found[0]


def parent_of(span: ReadableSpan, spans: list[ReadableSpan]) -> ReadableSpan | None:
    parent_id = span.parent.span_id if span.parent is not None else None
    return next((s for s in spans if s.context is not None and s.context.span_id == parent_id), None)


def ancestors(span: ReadableSpan, spans: list[ReadableSpan]) -> list[str]:
    names = []
    parent = parent_of(span, spans)
    while parent is not None:
        names.append(parent.name)
        parent = parent_of(parent, spans)
    return names


async def test_a_contract_query_is_one_trace_of_operation_loader_and_mongodb_spans(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter, profile_id: str
) -> None:
    async with app_client(store, tracer_provider=provider, EDUGRAPH_TRACING=True) as http:
        response = await post(http, contract("InstitutionProfile"), {"id": profile_id})
    spans = list(exporter.get_finished_spans())
    operation = one(spans, "query InstitutionProfile")
    assert operation.kind is SpanKind.SERVER
    assert operation.parent is None
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "InstitutionProfile"
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.attributes["edugraph.outcome"] == "ok"
    assert operation.attributes["edugraph.request_id"] == response.headers["x-request-id"]
    assert operation.status.status_code is StatusCode.UNSET
    assert {span.context.trace_id for span in spans if span.context is not None} == {operation.context.trace_id}
    commands = [span for span in spans if span.kind is SpanKind.CLIENT]
    assert operation.attributes["edugraph.mongodb.round_trips"] == len(commands)
    for command in commands:
        assert command.attributes is not None
        assert command.attributes["db.system.name"] == "mongodb"
        assert command.attributes["db.namespace"] == store.database
        assert operation.name in ancestors(command, spans)
    courses = one(spans, "dataloader courses")
    assert courses.attributes is not None
    assert courses.attributes["edugraph.dataloader.shape"] == "pages_by"
    assert courses.attributes["edugraph.dataloader.batch_size"] == 1
    assert [parent_of(span, spans) for span in commands if span.name == "aggregate courses"] == [courses]
    resources = one(spans, "dataloader course_resources")
    assert resources.attributes is not None
    assert resources.attributes["edugraph.dataloader.batch_size"] == len(
        response.json()["data"]["institution"]["courses"]["edges"]
    )
    root = one(spans, "Query.institution")
    assert parent_of(root, spans) is operation
    assert {parent_of(one(spans, name), spans) for name in ("graphql.parse", "graphql.validate")} == {operation}


async def test_only_root_fields_get_resolver_spans_unless_all_are_asked_for(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter, profile_id: str
) -> None:
    async with app_client(store, tracer_provider=provider, EDUGRAPH_TRACING=True) as http:
        await post(http, contract("InstitutionProfile"), {"id": profile_id})
    assert not [span for span in exporter.get_finished_spans() if span.name == "Institution.courses"]
    exporter.clear()
    async with app_client(
        store, tracer_provider=provider, EDUGRAPH_TRACING=True, EDUGRAPH_TRACE_RESOLVERS="all"
    ) as http:
        await post(http, contract("InstitutionProfile"), {"id": profile_id})
    spans = list(exporter.get_finished_spans())
    nested = one(spans, "Institution.courses")
    assert nested.attributes is not None
    assert nested.attributes["graphql.field.path"] == "institution.courses"
    assert not [span for span in spans if span.name == "Institution.name"]  # a plain attribute waits on nothing


async def test_errors_are_recorded_on_the_operation_span(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    async with app_client(store, tracer_provider=provider, EDUGRAPH_TRACING=True) as http:
        await post(http, 'query Broken { institution(id: "not-an-id") { id } }', {})
    operation = one(list(exporter.get_finished_spans()), "query Broken")
    assert operation.attributes is not None
    assert operation.attributes["edugraph.outcome"] == "error"
    assert operation.attributes["edugraph.error_codes"] == ("BAD_USER_INPUT",)
    assert operation.status.status_code is StatusCode.ERROR
    [event] = [event for event in operation.events if event.name == "graphql.error"]
    assert event.attributes is not None
    assert event.attributes["graphql.error.code"] == "BAD_USER_INPUT"
    assert event.attributes["graphql.error.path"] == "institution"


async def test_a_document_that_does_not_parse_is_an_error_span(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    async with app_client(store, tracer_provider=provider, EDUGRAPH_TRACING=True) as http:
        response = await http.post("/graphql", json={"query": "query { institution("}, headers=ADMIN)
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    operation = one(list(exporter.get_finished_spans()), "GraphQL operation")
    assert operation.attributes is not None
    assert operation.attributes["edugraph.error_codes"] == ("GRAPHQL_PARSE_FAILED",)


async def test_a_callers_traceparent_continues_its_trace(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter, profile_id: str
) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    async with app_client(store, tracer_provider=provider, EDUGRAPH_TRACING=True) as http:
        await post(
            http, contract("InstitutionProfile"), {"id": profile_id}, traceparent=f"00-{trace_id}-{parent_id}-01"
        )
    operation = one(list(exporter.get_finished_spans()), "query InstitutionProfile")
    assert format(operation.context.trace_id, "032x") == trace_id
    assert operation.parent is not None
    assert format(operation.parent.span_id, "016x") == parent_id


async def test_tracing_off_produces_no_spans_and_adds_nothing(
    store: Store, provider: TracerProvider, exporter: InMemorySpanExporter, profile_id: str
) -> None:
    assert create_app(settings_for(store), tracer_provider=provider).state.edugraph.tracing is None
    async with app_client(store, tracer_provider=provider) as http:
        await post(http, contract("InstitutionProfile"), {"id": profile_id})
    assert exporter.get_finished_spans() == ()


def test_a_collector_base_url_gets_the_traces_path() -> None:
    assert http_traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert http_traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert http_traces_url("https://otlp.example/custom/traces") == "https://otlp.example/custom/traces"


@dataclass
class Received:
    """What a test collector was sent."""

    paths: list[str] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    requests: list[trace_service_pb2.ExportTraceServiceRequest] = field(default_factory=list)

    def span_names(self) -> set[str]:
        return {
            span.name
            for request in self.requests
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        }

    def service_names(self) -> set[str]:
        return {
            attribute.value.string_value
            for request in self.requests
            for resource_spans in request.resource_spans
            for attribute in resource_spans.resource.attributes
            if attribute.key == "service.name"
        }


@pytest.fixture
def http_collector() -> Iterator[tuple[str, Received]]:
    """A local OTLP/HTTP receiver: it keeps what is posted to it and answers 200."""
    received = Received()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            received.paths.append(self.path)
            received.content_types.append(self.headers["content-type"])
            received.requests.append(trace_service_pb2.ExportTraceServiceRequest.FromString(body))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving_http(Handler) as url:
        yield url, received


@pytest.fixture
def grpc_collector() -> Iterator[tuple[str, Received]]:
    """A local OTLP/gRPC receiver."""
    received = Received()

    class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
        def Export(self, request: Any, context: Any) -> Any:
            received.requests.append(request)
            return trace_service_pb2.ExportTraceServiceResponse()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        server.stop(grace=None).wait()


async def test_spans_are_posted_to_an_otlp_http_collector(
    store: Store, http_collector: tuple[str, Received], profile_id: str
) -> None:
    endpoint, received = http_collector
    async with app_client(store, EDUGRAPH_TRACING=True, EDUGRAPH_OTEL_ENDPOINT=endpoint, **SERVICE) as http:
        await post(http, contract("InstitutionProfile"), {"id": profile_id})
    assert set(received.paths) == {"/v1/traces"}
    assert set(received.content_types) == {"application/x-protobuf"}
    assert {"query InstitutionProfile", "dataloader courses", "aggregate courses"} <= received.span_names()
    assert received.service_names() == {"edugraph-test"}


async def test_spans_are_sent_to_an_otlp_grpc_collector(
    store: Store, grpc_collector: tuple[str, Received], profile_id: str
) -> None:
    endpoint, received = grpc_collector
    settings = {"EDUGRAPH_OTEL_ENDPOINT": endpoint, "EDUGRAPH_OTEL_PROTOCOL": "grpc", **SERVICE}
    async with app_client(store, EDUGRAPH_TRACING=True, **settings) as http:
        await post(http, contract("InstitutionProfile"), {"id": profile_id})
    assert {"query InstitutionProfile", "dataloader courses", "aggregate courses"} <= received.span_names()
    assert received.service_names() == {"edugraph-test"}
