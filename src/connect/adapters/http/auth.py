"""Bearer authentication: who is calling, before any resource runs."""

from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http.rate_limit import FailedAuthentications
from connect.domain.errors import Unauthenticated
from connect.services.keys import KeyService


class BearerAuth:
    """Sets ``req.context.principal`` for every non-public resource.

    A resource opts out with ``public = True``. Only a resource with
    ``accepts_query_key = True`` (the calendar feed) also reads ``?key=``, because
    calendar clients cannot send headers.

    Args:
        keys: checks a presented token.
        failures: counts wrong secrets per client and per key id, and refuses a slow
            check past the quota (``None``: no such limit).
    """

    def __init__(self, keys: KeyService, failures: FailedAuthentications | None = None) -> None:
        self._keys = keys
        self._failures = failures

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        req.context.principal = None
        if resource is None or getattr(resource, "public", False):
            return
        header = req.get_header("Authorization")
        query_key = None
        if not header and getattr(resource, "accepts_query_key", False):
            query_key = req.get_param("key")
        if not header and query_key is None:
            # NOTE: not a failed attempt (no key was presented), and cheap to answer.
            raise Unauthenticated("send an API key as Authorization: Bearer <token>")
        guard = self._failures.guard(req, resp) if self._failures is not None else None
        req.context.principal = self._keys.authenticate(_bearer(header) or query_key, guard)


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be: Bearer <token>")
    return value.strip()
