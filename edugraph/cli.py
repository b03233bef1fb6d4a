"""The ``edugraph`` command: serve, run the embedded database, seed, export the schema."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from edugraph.store.seed.figures import DEFAULT_SCALE, DEFAULT_SEED_NUMBER

# Inserting over the wire into the embedded server slows as a collection grows; a
# batch may take minutes there, while a real MongoDB answers in milliseconds.
SEED_SOCKET_TIMEOUT_MS = 15 * 60 * 1000


def _scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("the scale must be in (0, 1]")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edugraph", description="One GraphQL API over Anhui's continuing education.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the GraphQL service (embedded database unless MONGODB_URI is set)")
    serve.add_argument("--host", default=None, help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 8000)")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default 1)")

    db = commands.add_parser("db", help="run the embedded MongoDB-compatible server alone")
    db.add_argument("--host", default="127.0.0.1", help="interface to listen on (loopback by default)")
    db.add_argument("--port", type=int, default=27018, help="port (0 picks a free one; default 27018)")
    db.add_argument("--data", type=Path, default=Path(".edugraph-data"), help="directory of the SQLite file")
    db.add_argument("--database", default="edugraph", help="database name to seed")
    db.add_argument("--seed", action="store_true", help="load the demo data first (skipped if already loaded)")
    db.add_argument("--scale", type=_scale, default=DEFAULT_SCALE, help=f"demo data scale (default {DEFAULT_SCALE})")
    db.add_argument("--seed-number", type=int, default=DEFAULT_SEED_NUMBER, help="random seed of the demo data")
    db.add_argument("--no-progress", action="store_true", help="no progress bar")

    seed = commands.add_parser("seed", help="load the demo data into MONGODB_URI")
    seed.add_argument("--scale", type=_scale, default=DEFAULT_SCALE, help=f"demo data scale (default {DEFAULT_SCALE})")
    seed.add_argument("--seed-number", type=int, default=DEFAULT_SEED_NUMBER, help="random seed of the demo data")

    token = commands.add_parser("token", help="print a development token (needs EDUGRAPH_JWT_SECRET)")
    token.add_argument("--role", required=True, choices=[role.value for role in _roles()], help="the caller's role")
    token.add_argument("--subject", default=None, help="the token's subject, e.g. a learner id (lrn_…)")
    token.add_argument("--institution", default=None, help="the institution the role is scoped to (ins_…)")
    token.add_argument("--province", default=None, help="a partner's province, e.g. 江西")
    token.add_argument("--hours", type=float, default=8.0, help="how long the token is valid (default 8)")

    commands.add_parser("check", help="validate the settings and reach the database and identity provider")
    commands.add_parser("settings", help="print every setting as a Markdown table (the README's)")

    register = commands.add_parser(
        "register-documents", help="register the .graphql operations of a folder as trusted documents"
    )
    register.add_argument("folder", type=Path, help="folder of .graphql files, e.g. ../shared/contract")

    export = commands.add_parser("export-schema", help="print the schema's SDL")
    export.add_argument("--output", type=Path, default=None, help="write to this file instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    match args.command:
        case "serve":
            return _serve(args)
        case "db":
            return _db(args)
        case "seed":
            return asyncio.run(_seed(args))
        case "token":
            return _token(args)
        case "check":
            from edugraph.checks import main as check

            return check()
        case "settings":
            from edugraph.config import settings_table

            sys.stdout.write(settings_table())
            return 0
        case "register-documents":
            return _register_documents(args)
        case "export-schema":
            return _export_schema(args)
    return 2  # pragma: no cover - argparse rejects other commands


def _serve(args: argparse.Namespace) -> int:
    """Run uvicorn with ``EDUGRAPH_WORKERS`` processes over one database.

    Without ``MONGODB_URI`` the embedded server is started here, once, before the
    workers (each would otherwise start its own), and stopped after the last worker has
    finished its in-flight requests, so it flushes after every write has landed.
    """
    import contextlib
    import os
    import signal
    import tempfile

    import uvicorn
    from pydantic import ValidationError

    from edugraph.config import Settings
    from edugraph.logs import configure_logging
    from edugraph.metrics import MULTIPROCESS_DIR
    from edugraph.store.embedded import EmbeddedServer

    overrides = {"EDUGRAPH_HOST": args.host, "EDUGRAPH_PORT": args.port, "EDUGRAPH_WORKERS": args.workers}
    os.environ.update({name: str(value) for name, value in overrides.items() if value is not None})
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"edugraph serve: invalid settings (run `edugraph check`):\n{error}", file=sys.stderr)
        return 2
    configure_logging(settings)
    # SIGTERM at any point (while the embedded server seeds, or after uvicorn's graceful
    # shutdown, which re-raises the signal it handled) exits through the cleanup below,
    # so the embedded server, in a process group of its own, is never left behind.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    with contextlib.ExitStack() as cleanup:
        if settings.mongodb_uri is None:
            embedded = EmbeddedServer(
                data_dir=settings.data_dir,
                seed_scale=settings.seed_scale,
                seed_number=settings.seed_number,
                database=settings.mongodb_database,
            )
            cleanup.callback(embedded.stop)
            try:
                os.environ["MONGODB_URI"] = embedded.start()
            except RuntimeError as error:
                print(f"edugraph serve: {error}", file=sys.stderr)
                return 1
        if settings.workers > 1:
            os.environ[MULTIPROCESS_DIR] = cleanup.enter_context(
                tempfile.TemporaryDirectory(prefix="edugraph-metrics-")
            )
        uvicorn.run(
            "edugraph.server:app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            timeout_graceful_shutdown=settings.shutdown_timeout_s,
            # Each worker sets up logging itself (app_from_environment) and writes
            # edugraph's access line instead of uvicorn's.
            log_config=None,
            log_level=settings.log_level.lower(),
        )
    return 0


def _db(args: argparse.Namespace) -> int:
    from edugraph.store.embedded import run_embedded_server

    asyncio.run(
        run_embedded_server(
            data_dir=args.data,
            host=args.host,
            port=args.port,
            database=args.database,
            seed=args.seed,
            seed_scale=args.scale,
            seed_number=args.seed_number,
            progress=not args.no_progress,
        )
    )
    return 0


async def _seed(args: argparse.Namespace) -> int:
    from pymongo.errors import PyMongoError

    from edugraph.config import Settings
    from edugraph.store.connection import open_client
    from edugraph.store.seed import seed_database

    settings = Settings()
    if settings.mongodb_uri is None:
        print("edugraph seed: set MONGODB_URI (or use `edugraph db --seed`).", file=sys.stderr)
        return 2
    client = open_client(
        settings.mongodb_uri, timeout_ms=settings.mongodb_timeout_ms, socket_timeout_ms=SEED_SOCKET_TIMEOUT_MS
    )
    try:
        report = await seed_database(client[settings.mongodb_database], scale=args.scale, seed_number=args.seed_number)
    except PyMongoError as error:
        print(f"edugraph seed: MongoDB at MONGODB_URI failed: {str(error)[:500]}", file=sys.stderr)
        return 1
    finally:
        await client.close()
    print(report)
    return 0


def _roles() -> list[Any]:
    from edugraph.auth import Role

    return [role for role in Role if role is not Role.ANONYMOUS]


def _token(args: argparse.Namespace) -> int:
    from edugraph.auth import InvalidToken, Role, development_token
    from edugraph.config import Settings

    try:
        token = development_token(
            Settings(),
            role=Role(args.role),
            subject=args.subject,
            institution=args.institution,
            province=args.province,
            ttl_s=int(args.hours * 3600),
        )
    except InvalidToken as error:
        print(f"edugraph token: {error}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _register_documents(args: argparse.Namespace) -> int:
    import json

    from edugraph.persisted import sha256

    files = sorted(args.folder.glob("*.graphql"))
    if not files:
        print(f"edugraph register-documents: no .graphql files in {args.folder}", file=sys.stderr)
        return 2
    documents = {sha256(text): text for text in (f.read_text(encoding="utf-8") for f in files)}
    target = Path(__file__).with_name("trusted_documents.json")
    target.write_text(json.dumps(documents, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(documents)} trusted documents written to {target}")
    return 0


def _export_schema(args: argparse.Namespace) -> int:
    from edugraph.schema import schema_sdl

    sdl = schema_sdl()
    if args.output is None:
        sys.stdout.write(sdl)
    else:
        args.output.write_text(sdl, encoding="utf-8")
    return 0
