"""Who is calling, by address."""

from __future__ import annotations

import falcon


class ClientAddress:
    """Reads the client IP of a request: the WSGI ``REMOTE_ADDR``.

    NOTE: behind a reverse proxy the server, not the app, decides who the client is:
    ``connect serve`` runs waitress with ``trusted_proxy`` (``CONNECT_TRUSTED_PROXY``),
    which rewrites ``REMOTE_ADDR`` from ``X-Forwarded-For`` only on connections that
    come from the proxy itself, and strips those headers from anyone else. Reading a
    header here instead would trust whoever can reach Connect directly.
    """

    def __call__(self, req: falcon.Request) -> str:
        return req.remote_addr or ""
