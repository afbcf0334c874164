"""Bearer authentication: who is calling, before any resource runs."""

from __future__ import annotations

from typing import Any

import falcon

from connect.domain.errors import Unauthenticated
from connect.services.keys import KeyService


class BearerAuth:
    """Sets ``req.context.principal`` for every non-public resource.

    A resource opts out with ``public = True``. Only a resource with
    ``accepts_query_key = True`` (the calendar feed) also reads ``?key=``, because
    calendar clients cannot send headers.
    """

    def __init__(self, keys: KeyService) -> None:
        self._keys = keys

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        req.context.principal = None
        if resource is None or getattr(resource, "public", False):
            return
        token = _bearer(req.get_header("Authorization"))
        if token is None and getattr(resource, "accepts_query_key", False):
            token = req.get_param("key")
        if token is None:
            raise Unauthenticated("send an API key as Authorization: Bearer <token>")
        req.context.principal = self._keys.authenticate(token)


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be: Bearer <token>")
    return value.strip()
