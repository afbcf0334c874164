"""Bearer authentication: who is calling."""

from __future__ import annotations

import falcon

from connect.adapters.http.rate_limit import FailedAuthentications
from connect.domain.errors import Unauthenticated
from connect.domain.keys import Principal
from connect.services.keys import KeyService
from connect.services.rate_limits import RateLimits


class BearerAuth:
    """Reads the presented key and checks it: the ``Authorization`` middleware calls it
    for every operation the route table does not mark public.

    Only an operation whose access allows it (the calendar feed) also reads ``?key=``,
    because calendar clients cannot send headers. Wrong secrets count against
    ``limits`` (``FailedAuthentications``).
    """

    def __init__(self, keys: KeyService, limits: RateLimits) -> None:
        self._keys = keys
        self._limits = limits

    def __call__(
        self, req: falcon.Request, resp: falcon.Response, *, query_key: bool = False
    ) -> Principal:
        """The principal of the presented key.

        Raises:
            Unauthenticated: no key, or one that is malformed, unknown, revoked or expired.
            RateLimited: the client failed too often.
        """
        header = req.get_header("Authorization")
        presented = None
        if not header and query_key:
            presented = req.get_param("key")
        if not header and presented is None:
            # NOTE: not a failed attempt (no key was presented), and cheap to answer.
            raise Unauthenticated("send an API key as Authorization: Bearer <token>")
        guard = FailedAuthentications(self._limits, req, resp)
        return self._keys.authenticate(_bearer(header) or presented, guard)


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be: Bearer <token>")
    return value.strip()
