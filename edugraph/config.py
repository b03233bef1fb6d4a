"""Settings, read once from the environment (or a ``.env`` file) at start-up.

Every setting has a default that works on a developer machine with nothing set:
no ``MONGODB_URI`` means the embedded MongoDB-compatible server under ``data_dir``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from edugraph.store.seed.figures import DEFAULT_SCALE, DEFAULT_SEED_NUMBER

# Where `make install` puts GraphiQL's browser files (npm ci --prefix web/graphiql).
SOURCE_GRAPHIQL_ASSETS = Path(__file__).resolve().parents[1] / "web" / "graphiql" / "node_modules"


class Settings(BaseSettings):
    """The service's configuration; environment names are the field names upper-cased."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    mongodb_uri: str | None = Field(
        default=None,
        description="A MongoDB connection string; unset starts the embedded server.",
    )
    mongodb_database: str = Field(default="edugraph", description="Database name.")
    mongodb_timeout_ms: int = Field(
        default=2500,
        ge=100,
        description=(
            "Server selection, connect and socket timeout: how long a request waits for "
            "an unreachable MongoDB before it answers SERVICE_UNAVAILABLE."
        ),
    )
    data_dir: Path = Field(
        default=Path(".edugraph-data"),
        alias="EDUGRAPH_DATA_DIR",
        description="Where the embedded server keeps its SQLite file.",
    )
    seed_scale: float = Field(
        default=DEFAULT_SCALE,
        gt=0,
        le=1,
        alias="EDUGRAPH_SEED_SCALE",
        description="Fraction of the brief's large counts the demo data reproduces.",
    )
    seed_number: int = Field(
        default=DEFAULT_SEED_NUMBER,
        alias="EDUGRAPH_SEED_NUMBER",
        description="Random seed of the demo data: the same number gives the same data.",
    )
    statistics_read_preference: Literal["primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"] = (
        Field(
            default="primary",
            alias="EDUGRAPH_STATISTICS_READ_PREFERENCE",
            description=(
                "Where the statistics aggregations read on a replica set: secondaryPreferred keeps "
                "their scans off the primary (figures may then lag writes by the replication delay)."
            ),
        )
    )
    statistics_ttl_s: float = Field(
        default=60.0,
        ge=0,
        alias="EDUGRAPH_STATISTICS_TTL_S",
        description="How long a computed statistics(year) figure set is reused; 0 recomputes every time.",
    )
    batching: bool = Field(
        default=True,
        alias="EDUGRAPH_BATCHING",
        description=(
            "Benchmarking switch, never for production: false makes every DataLoader fetch each key "
            "with a query of its own and cache nothing (the N+1 pattern), so the benchmark can "
            "measure what batching buys."
        ),
    )
    id_hash_key: SecretStr = Field(
        default=SecretStr("edugraph-development-only-key"),
        alias="EDUGRAPH_ID_HASH_KEY",
        description=(
            "Secret key of the national-ID hash (HMAC-SHA256). Set a long random value in "
            "production and never change it: the hashes of existing accounts depend on it."
        ),
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        alias="EDUGRAPH_ENV",
        description=(
            "production turns off introspection, field suggestions and GraphiQL unless "
            "enabled explicitly, and requires a real JWT key."
        ),
    )
    introspection: bool | None = Field(
        default=None, alias="EDUGRAPH_INTROSPECTION", description="Allow introspection (default: not in production)."
    )
    jwt_secret: SecretStr | None = Field(
        default=None,
        alias="EDUGRAPH_JWT_SECRET",
        description="Shared HS256 secret for development tokens (edugraph token needs it).",
    )
    jwt_jwks_url: str | None = Field(
        default=None, alias="EDUGRAPH_JWT_JWKS_URL", description="JWKS URL of the identity provider (RS256/ES256)."
    )
    jwt_issuer: str = Field(default="edugraph", alias="EDUGRAPH_JWT_ISSUER", description="Required `iss` claim.")
    jwt_audience: str = Field(default="edugraph-api", alias="EDUGRAPH_JWT_AUDIENCE", description="Required `aud`.")
    max_depth: int = Field(default=12, ge=1, alias="EDUGRAPH_MAX_DEPTH", description="Deepest selection allowed.")
    max_aliases: int = Field(default=30, ge=1, alias="EDUGRAPH_MAX_ALIASES", description="Aliases per document.")
    max_tokens: int = Field(default=4000, ge=100, alias="EDUGRAPH_MAX_TOKENS", description="Tokens per document.")
    max_cost: int = Field(
        default=50_000,
        ge=1,
        alias="EDUGRAPH_MAX_COST",
        description=(
            "Largest operation cost: a field costs 1, a connection multiplies what it selects "
            "by its `first` (InstitutionsDirectory at `first: 100` costs 26,501)."
        ),
    )
    max_body_bytes: int = Field(
        default=200_000, ge=1_000, alias="EDUGRAPH_MAX_BODY_BYTES", description="Largest request body accepted."
    )
    request_timeout_s: float = Field(
        default=15.0, gt=0, alias="EDUGRAPH_REQUEST_TIMEOUT_S", description="Longest time one request may take."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        alias="EDUGRAPH_CORS_ORIGINS",
        description='Origins allowed to call the API from a browser, as a JSON list: ["https://app.example"].',
    )
    trusted_documents_only: bool = Field(
        default=False,
        alias="EDUGRAPH_TRUSTED_DOCUMENTS_ONLY",
        description="Accept only the registered operations (trusted_documents.json), sent by id or in full.",
    )
    compiled_execution: bool = Field(
        default=True,
        alias="EDUGRAPH_COMPILED_EXECUTION",
        description="Run queries on compiled plans (same answers, far less CPU); false runs graphql-core's executor.",
    )
    host: str = Field(
        default="127.0.0.1",
        alias="EDUGRAPH_HOST",
        description="Interface `edugraph serve` listens on; 0.0.0.0 behind a load balancer.",
    )
    port: int = Field(
        default=8000, ge=0, le=65535, alias="EDUGRAPH_PORT", description="Port `edugraph serve` listens on."
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        alias="EDUGRAPH_WORKERS",
        description="Worker processes of `edugraph serve`, sharing one port and one database.",
    )
    shutdown_timeout_s: int = Field(
        default=20,
        ge=1,
        alias="EDUGRAPH_SHUTDOWN_TIMEOUT_S",
        description=(
            "On SIGTERM, how long in-flight requests may take to finish before the "
            "connections are closed; open subscriptions are closed at once (code 1012)."
        ),
    )
    live_seats: Literal["auto", "change_stream", "poll"] = Field(
        default="auto",
        alias="EDUGRAPH_LIVE_SEATS",
        description=(
            "How subscriptions learn of seat changes made by any replica: MongoDB change "
            "streams (replica sets), polling, or auto (change streams if the server has them)."
        ),
    )
    live_seats_poll_s: float = Field(
        default=0.5,
        ge=0.05,
        le=60,
        alias="EDUGRAPH_LIVE_SEATS_POLL_S",
        description="Polling interval of live seat counts, when polling: one query per process per interval.",
    )
    graphiql: bool | None = Field(
        default=None, alias="EDUGRAPH_GRAPHIQL", description="Serve GraphiQL at /graphql (default: not in production)."
    )
    graphiql_assets: Path | None = Field(
        default=None,
        alias="EDUGRAPH_GRAPHIQL_ASSETS",
        description=(
            "The node_modules folder holding GraphiQL's browser files, served at /graphiql/ "
            "(default: web/graphiql/node_modules of the source tree, which `make install` fills)."
        ),
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="EDUGRAPH_LOG_LEVEL", description="Least severe log level written by `edugraph serve`."
    )
    log_format: Literal["json", "text"] | None = Field(
        default=None,
        alias="EDUGRAPH_LOG_FORMAT",
        description="json (one object a line, for a log collector) or text (default: json in production).",
    )
    slow_operation_ms: float = Field(
        default=500.0,
        ge=0,
        alias="EDUGRAPH_SLOW_OPERATION_MS",
        description="Operations taking at least this long are logged as a WARNING with their MongoDB figures.",
    )
    tracing: bool = Field(
        default=False,
        alias="EDUGRAPH_TRACING",
        description="Export OpenTelemetry traces over OTLP. Off: no tracing code runs at all.",
    )
    otel_sdk_disabled: bool = Field(
        default=False, alias="OTEL_SDK_DISABLED", description="The standard switch: true turns tracing off."
    )
    otel_endpoint: str | None = Field(
        default=None,
        alias="EDUGRAPH_OTEL_ENDPOINT",
        description=(
            "Where traces go: http://collector:4318 for http/protobuf (/v1/traces is added to a URL without "
            "a path), http://collector:4317 for grpc. Unset: the exporter reads "
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, else localhost."
        ),
    )
    otel_protocol: Literal["http/protobuf", "grpc"] = Field(
        default="http/protobuf",
        validation_alias=AliasChoices(
            "EDUGRAPH_OTEL_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"
        ),
        description="OTLP transport: http/protobuf or grpc (else read from OTEL_EXPORTER_OTLP_PROTOCOL).",
    )
    service_name: str = Field(
        default="edugraph",
        validation_alias=AliasChoices("EDUGRAPH_SERVICE_NAME", "OTEL_SERVICE_NAME"),
        description="service.name of the traces (else read from OTEL_SERVICE_NAME).",
    )
    trace_resolvers: Literal["root", "all"] = Field(
        default="root",
        alias="EDUGRAPH_TRACE_RESOLVERS",
        description=(
            "Which resolvers get a span: root (the operation's root fields) or all (also every nested "
            "resolver that waits on a DataLoader or MongoDB — one span per parent object)."
        ),
    )

    @property
    def tracing_enabled(self) -> bool:
        return self.tracing and not self.otel_sdk_disabled

    @property
    def log_json(self) -> bool:
        return self.log_format == "json" if self.log_format is not None else self.production

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.production

    @property
    def graphiql_assets_dir(self) -> Path:
        return self.graphiql_assets or SOURCE_GRAPHIQL_ASSETS

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else not self.production


def environment_name(name: str) -> str:
    """The environment variable that sets the field ``name`` (the first, where several may)."""
    info = Settings.model_fields[name]
    if isinstance(info.validation_alias, AliasChoices):
        return str(info.validation_alias.choices[0])
    return info.alias or name.upper()


def settings_table() -> str:
    """Every setting as a Markdown table, the one in the README (a test keeps them equal)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            shown = "a development key"
        elif default is None:
            shown = "unset"
        else:
            shown = f"`{json.dumps(default) if isinstance(default, list | bool) else default}`"
        rows.append(f"| `{environment_name(name)}` | {shown} | {info.description or ''} |")
    return "\n".join(rows) + "\n"
