"""Settings, read once from the environment (or a ``.env`` file) at start-up.

Every setting has a default that works on a developer machine with nothing set:
no ``MONGODB_URI`` means the embedded MongoDB-compatible server under ``data_dir``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from edugraph.store.seed.figures import DEFAULT_SCALE, DEFAULT_SEED_NUMBER


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
    statistics_ttl_s: float = Field(
        default=60.0,
        ge=0,
        alias="EDUGRAPH_STATISTICS_TTL_S",
        description="How long a computed statistics(year) figure set is reused; 0 recomputes every time.",
    )
    id_hash_key: SecretStr = Field(
        default=SecretStr("edugraph-development-only-key"),
        alias="EDUGRAPH_ID_HASH_KEY",
        description=(
            "Secret key of the national-ID hash (HMAC-SHA256). Set a long random value in "
            "production and never change it: the hashes of existing accounts depend on it."
        ),
    )
    host: str = Field(default="127.0.0.1", alias="EDUGRAPH_HOST")
    port: int = Field(default=8000, ge=0, le=65535, alias="EDUGRAPH_PORT")
    graphiql: bool = Field(default=True, alias="EDUGRAPH_GRAPHIQL", description="Serve GraphiQL at /graphql.")
