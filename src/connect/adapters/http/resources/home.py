"""``GET /``: the home page, HTML for browsers and JSON for API clients."""

from __future__ import annotations

import json

import falcon

from connect.adapters.http.pages.home import home_document, link_header, render_home
from connect.adapters.http.pages.security import content_security_policy, lock_down
from connect.presentation import document


class HomePage:
    """``GET /``: links to the docs, the OpenAPI document, /admin and /healthz.

    JSON when the client prefers ``application/json`` to ``text/html``; HTML otherwise
    (browsers, and ``*/*``).
    """

    def __init__(self, version: str) -> None:
        self._html = render_home(version)
        self._csp = content_security_policy(self._html)
        self._json = json.dumps(document(home_document(version)), indent=2).encode()
        self._links = link_header()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.append_header("Vary", "Accept")
        resp.set_header("Link", self._links)
        if req.client_prefers([falcon.MEDIA_HTML, falcon.MEDIA_JSON]) == falcon.MEDIA_JSON:
            resp.cache_control = ["no-cache"]
            resp.content_type = falcon.MEDIA_JSON
            resp.data = self._json
            return
        lock_down(resp, self._csp, cache="no-cache")
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._html
