"""``edugraph check``: are the settings valid, and can the service reach what they name?

Run before a deployment (or as an init container): each finding says what was checked
and, when something is wrong, what to change. It exits non-zero on the first kind of
problem that would make the service fail or misbehave, not only on unreachable hosts.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from pydantic import ValidationError
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure, PyMongoError

from edugraph.config import Settings
from edugraph.graphiql.assets import missing_files
from edugraph.store.collections import EXAM_SESSIONS, INSTITUTIONS
from edugraph.store.connection import Document, open_client

DEVELOPMENT_ID_HASH_KEY = Settings.model_fields["id_hash_key"].get_default().get_secret_value()
JWKS_TIMEOUT_S = 5.0


class Level(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    level: Level
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.level.value:<4}  {self.subject:<9} {self.detail}"


def load_settings() -> tuple[Settings | None, list[Finding]]:
    """The settings, or one finding per invalid variable, named as it is set."""
    try:
        settings = Settings()
    except ValidationError as error:
        return None, [
            Finding(Level.FAIL, "settings", f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e['input']!r})")
            for e in error.errors()
        ]
    return settings, [Finding(Level.OK, "settings", "every setting is valid")]


def check_security(settings: Settings) -> list[Finding]:
    findings = []
    if settings.production:
        if settings.jwt_jwks_url is None:
            findings.append(
                Finding(
                    Level.FAIL,
                    "tokens",
                    "production accepts only RS256/ES256 tokens checked against a JWKS, and "
                    "EDUGRAPH_JWT_JWKS_URL is unset: every bearer token would be refused",
                )
            )
        if settings.id_hash_key.get_secret_value() == DEVELOPMENT_ID_HASH_KEY:
            findings.append(
                Finding(Level.FAIL, "secrets", "EDUGRAPH_ID_HASH_KEY is the development key; set a long random one")
            )
        if settings.graphiql_enabled or settings.introspection_enabled:
            findings.append(Finding(Level.WARN, "exposure", "GraphiQL or introspection is on in production"))
    elif settings.jwt_secret is not None and len(settings.jwt_secret.get_secret_value()) < 32:
        findings.append(Finding(Level.WARN, "tokens", "EDUGRAPH_JWT_SECRET is shorter than 32 characters"))
    if not findings:
        findings.append(Finding(Level.OK, "security", f"{settings.environment} settings are consistent"))
    return findings


def check_graphiql(settings: Settings) -> list[Finding]:
    """GraphiQL's files: when missing, the page says how to install them; the API works."""
    if not settings.graphiql_enabled:
        return []
    folder = settings.graphiql_assets_dir
    missing = missing_files(folder)
    if missing:
        detail = f"{len(missing)} of GraphiQL's files are missing from {folder} (`make install`)"
        return [Finding(Level.WARN, "graphiql", detail)]
    return [Finding(Level.OK, "graphiql", f"GraphiQL's files are in {folder}")]


async def check_jwks(settings: Settings) -> list[Finding]:
    if settings.jwt_jwks_url is None:
        return []
    try:
        async with httpx.AsyncClient(timeout=JWKS_TIMEOUT_S) as http:
            response = await http.get(settings.jwt_jwks_url)
        keys = response.json().get("keys") if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        return [Finding(Level.FAIL, "tokens", f"the JWKS at {settings.jwt_jwks_url} cannot be read: {error}")]
    if not keys:
        return [Finding(Level.FAIL, "tokens", f"the JWKS at {settings.jwt_jwks_url} has no keys")]
    return [Finding(Level.OK, "tokens", f"the JWKS has {len(keys)} key(s)")]


async def check_database(settings: Settings) -> list[Finding]:
    if settings.mongodb_uri is None:
        return _check_embedded(settings.data_dir)
    where = redact(settings.mongodb_uri)
    client = open_client(settings.mongodb_uri, timeout_ms=settings.mongodb_timeout_ms)
    try:
        db = client[settings.mongodb_database]
        try:
            hello = await db.command("hello")
            institutions = await db[INSTITUTIONS].estimated_document_count()
        except PyMongoError as error:
            return [Finding(Level.FAIL, "database", f"cannot reach MongoDB at {where}: {_reason(error)}")]
        findings = [Finding(Level.OK, "database", f"MongoDB answers at {where}" + _topology(hello))]
        if institutions == 0:
            findings.append(
                Finding(Level.WARN, "data", f"database '{settings.mongodb_database}' is empty (`edugraph seed`)")
            )
        findings.append(await _check_change_streams(db, settings))
        return findings
    finally:
        await client.close()


def _reason(error: PyMongoError) -> str:
    # The driver appends its timeouts and whole topology description: the first clause says it.
    return str(error).split(" (configured timeouts")[0][:300]


def _topology(hello: Mapping[str, object]) -> str:
    if hello.get("setName"):
        return f" (replica set {hello['setName']})"
    if hello.get("msg") == "isdbgrid":
        return " (sharded cluster)"
    return " (standalone)"


async def _check_change_streams(db: AsyncDatabase[Document], settings: Settings) -> Finding:
    polling = f"live seats poll every {settings.live_seats_poll_s:g} s"
    if settings.live_seats == "poll":
        return Finding(Level.OK, "live", polling)
    try:
        stream = await db[EXAM_SESSIONS].watch()
        await stream.close()
    except OperationFailure as error:
        refused = f"MongoDB refuses change streams ({(error.details or {}).get('errmsg', error)})"
        if settings.live_seats == "change_stream":
            return Finding(Level.FAIL, "live", f"{refused}: set EDUGRAPH_LIVE_SEATS to auto or poll")
        return Finding(Level.OK, "live", f"{refused}: {polling}")
    return Finding(Level.OK, "live", "live seats follow a change stream")


def _check_embedded(data_dir: Path) -> list[Finding]:
    from edugraph.store.embedded import DATA_FILE

    existing = next(p for p in (data_dir, *data_dir.absolute().parents) if p.exists())
    if not os.access(existing, os.W_OK):
        return [Finding(Level.FAIL, "database", f"the embedded server cannot write to {data_dir} ({existing})")]
    state = "holds data" if (data_dir / DATA_FILE).exists() else "is new: the first start seeds the demo data"
    return [Finding(Level.OK, "database", f"MONGODB_URI unset: the embedded server, whose {data_dir} {state}")]


def redact(uri: str) -> str:
    """The URI without its password, fit for a log."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


async def run_checks() -> list[Finding]:
    settings, findings = load_settings()
    if settings is None:
        return findings
    findings += check_security(settings)
    findings += check_graphiql(settings)
    for more in await asyncio.gather(check_database(settings), check_jwks(settings)):
        findings += more
    return findings


def main() -> int:
    findings = asyncio.run(run_checks())
    for finding in findings:
        print(finding)
    failed = sum(f.level is Level.FAIL for f in findings)
    print(f"\n{failed} problem(s) found." if failed else "\nReady to serve.", flush=True)
    return 1 if failed else 0
