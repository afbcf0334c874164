"""The public documents: /openapi.json, /docs/api and the organizer page /admin."""

from __future__ import annotations

import hashlib
import json
from html import escape
from importlib import resources
from typing import Any

import falcon

from connect.adapters.http import params
from connect.adapters.http.pages.docs import render_docs
from connect.adapters.http.pages.security import content_security_policy, lock_down


class OpenApiDocument:
    """``GET /openapi.json``: the OpenAPI 3.1 document, with an ETag."""

    def __init__(self, document: dict[str, Any]) -> None:
        self._data = json.dumps(document, indent=2).encode()
        self._etag = hashlib.sha256(self._data).hexdigest()[:32]

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.etag = self._etag
        resp.cache_control = ["no-cache"]
        resp.set_header("Access-Control-Allow-Origin", "*")
        if params.not_modified(req, self._etag):
            resp.status = falcon.HTTP_304
            return
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._data


class ApiDocs:
    """``GET /docs/api``: the human reference, rendered from the same document."""

    # NOTE: rendered once; only the origin shown in the curl examples varies per request.
    _BASE = "\x00base\x00"

    def __init__(self, document: dict[str, Any]) -> None:
        self._page = render_docs(document, self._BASE)
        self._csp = content_security_policy(self._page)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        lock_down(resp, self._csp, cache="no-cache")
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._page.replace(self._BASE, escape(req.prefix))


class AdminPage:
    """``GET /admin``: the organizer page. Public HTML; the page asks for a key itself."""

    def __init__(self) -> None:
        page = (
            resources.files("connect.adapters.http.pages")
            .joinpath("admin.html")
            .read_text(encoding="utf-8")
        )
        self._csp = content_security_policy(page, connect=True)
        self._data = page.encode()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        lock_down(resp, self._csp, cache="no-store")
        resp.content_type = falcon.MEDIA_HTML
        resp.data = self._data
