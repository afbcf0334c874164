"""Rate limits at the edge: count the request, describe the quota in the headers,
answer 429 when a policy refuses.

Headers follow the IETF httpapi RateLimit draft (draft-ietf-httpapi-ratelimit-headers):
``RateLimit-Policy: "per-key";q=100;w=60`` and ``RateLimit: "per-key";r=42;t=17``.
"""

from __future__ import annotations

from typing import Any

import falcon

from connect.domain.errors import RateLimited
from connect.domain.rate_limit import Decision
from connect.services.rate_limits import EXPORTS, RateLimits


def client_address(req: falcon.Request) -> str:
    """The client IP of a request: the WSGI ``REMOTE_ADDR``.

    NOTE: behind a reverse proxy the server, not the app, decides who the client is:
    ``connect serve`` runs waitress with ``trusted_proxy`` (``CONNECT_TRUSTED_PROXY``),
    which rewrites ``REMOTE_ADDR`` from ``X-Forwarded-For`` only on connections that
    come from the proxy itself, and strips those headers from anyone else. Reading a
    header here instead would trust whoever can reach Connect directly.
    """
    return req.remote_addr or ""


def describe(resp: falcon.Response, decision: Decision) -> None:
    """The ``RateLimit-Policy`` and ``RateLimit`` headers for ``decision``."""
    quota = decision.quota
    resp.set_header("RateLimit-Policy", f'"{quota.name}";q={quota.limit};w={quota.window}')
    resp.set_header("RateLimit", f'"{quota.name}";r={decision.remaining};t={decision.reset}')


def refuse(resp: falcon.Response, decision: Decision) -> None:
    """Raise the 429 for a refusing ``decision``, its headers set."""
    describe(resp, decision)
    raise RateLimited(decision.quota.name, decision.retry_after)


class FailedAuthentications:
    """The ``auth-failures`` policies, as a ``VerificationGuard`` for one request: a
    bounded number of wrong secrets per window, per client IP and per target key id;
    past either, a presented token that would need a slow (argon2) check is not checked
    (429, refused and described on ``resp``).

    Only wrong secrets for an existing key id count: checking one costs an argon2
    verification, while a malformed token or an unknown key id costs nothing. A token
    this process verified before never meets this policy (see ``KeyService``), so
    failures never lock out a working key.
    """

    def __init__(self, limits: RateLimits, req: falcon.Request, resp: falcon.Response) -> None:
        self._limits = limits
        self._client_ip = client_address(req)
        self._resp = resp

    def before_verifying(self, key_id: str) -> None:
        decision = self._limits.auth_refusal(self._client_ip, key_id)
        if decision is not None:
            refuse(self._resp, decision)

    def verification_failed(self, key_id: str) -> None:
        decision = self._limits.auth_failed(self._client_ip, key_id)
        if decision is not None:
            describe(self._resp, decision)


class RateLimitGuard:
    """Must come after ``Authorization``: the per-key policy needs the principal.

    A route opts into a stricter policy in the route table (``rate_policy``):
    ``"exports"`` (counts against per-key and exports) or ``"form"`` (the public form's
    POST, per client IP). Other public routes are not limited.
    """

    def __init__(self, limits: RateLimits) -> None:
        self._limits = limits

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        route = getattr(req.context, "route", None)
        if route is None:
            return
        principal = getattr(req.context, "principal", None)
        decision: Decision | None
        if principal is not None:
            decision = self._limits.for_key(principal, export=route.rate_policy == EXPORTS)
        elif route.form_limited(req.method):
            decision = self._limits.for_form(client_address(req))
        else:
            return
        if decision is None:
            return
        if not decision.allowed:
            refuse(resp, decision)
        describe(resp, decision)
