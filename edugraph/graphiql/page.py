"""The GraphiQL page ``GET /graphql`` gives a browser, built from the local assets.

Its Content-Security-Policy allows scripts, styles and requests to this origin only, so
the page cannot quietly fall back to a CDN; GraphiQL's fonts and icons are inline
``data:`` URIs. When the assets are not installed the page says so, and how to install
them, instead of showing a blank screen: the rest of the service works either way.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from string import Template
from typing import Any

from starlette.responses import HTMLResponse

from edugraph.graphiql.assets import STATIC, missing_files
from edugraph.graphiql.examples import contract_tabs

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        # CodeMirror and GraphiQL's resizable panes set style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class GraphiQLPage:
    def __init__(self, node_modules: Path, tabs: list[dict[str, str]] | None = None) -> None:
        self.node_modules = node_modules
        self.tabs = contract_tabs() if tabs is None else tabs
        self._page = Template((STATIC / "page.html").read_text(encoding="utf-8"))
        self._not_installed = Template((STATIC / "not-installed.html").read_text(encoding="utf-8"))

    def response(self) -> HTMLResponse:
        """The page, or 503 with install instructions when files are missing."""
        missing = missing_files(self.node_modules)
        if missing:
            body = self._not_installed.substitute(
                folder=html.escape(str(self.node_modules)),
                missing="".join(f"<li><code>{html.escape(name)}</code></li>" for name in missing),
            )
            return HTMLResponse(body, status_code=503, headers=_HEADERS)
        return HTMLResponse(self._page.substitute(config=_script_json({"tabs": self.tabs})), headers=_HEADERS)


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
