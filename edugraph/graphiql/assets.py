"""GraphiQL's browser files, served by the service itself: no CDN at run time.

React, ReactDOM, GraphiQL, its explorer plugin and graphql-ws (for subscriptions) are
the UMD builds npm installs into ``web/graphiql/node_modules`` (pinned by that folder's
lock file; ``make install``); the page's own script and style ship in this package.
Only the files named here are served, so the rest of ``node_modules`` stays private.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

# The URL name of each installed file, and where npm puts it under node_modules.
VENDOR_FILES: dict[str, str] = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
    "plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/index.umd.js",
    "plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
    "graphql-ws.min.js": "graphql-ws/umd/graphql-ws.min.js",
}
STATIC = Path(__file__).with_name("static")
OWN_FILES = ("edugraph-graphiql.js", "edugraph-graphiql.css")
_MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def missing_files(node_modules: Path) -> list[str]:
    """The installed files that are absent, as paths under ``node_modules``."""
    return [relative for relative in VENDOR_FILES.values() if not (node_modules / relative).is_file()]


class GraphiQLAssets:
    """The endpoint ``GET /graphiql/{name}``: an allowlisted file, revalidated by its ETag."""

    def __init__(self, node_modules: Path) -> None:
        self.files = {name: node_modules / relative for name, relative in VENDOR_FILES.items()}
        self.files |= {name: STATIC / name for name in OWN_FILES}

    async def serve(self, request: Request) -> Response:
        path = self.files.get(request.path_params["name"])
        try:
            stat = os.stat(path) if path is not None else None
        except FileNotFoundError:
            stat = None
        if path is None or stat is None:
            return PlainTextResponse("Not Found", status_code=404)
        headers = {"cache-control": "no-cache", "x-content-type-options": "nosniff"}
        response = FileResponse(path, stat_result=stat, media_type=_MEDIA_TYPES[path.suffix], headers=headers)
        if request.headers.get("if-none-match") == response.headers["etag"]:
            return Response(status_code=304, headers={"etag": response.headers["etag"], **headers})
        return response
