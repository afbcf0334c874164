"""Rate limits at the edge: count the request, describe the quota in the headers,
answer 429 when a policy refuses.

Headers follow the IETF httpapi RateLimit draft (draft-ietf-httpapi-ratelimit-headers):
``RateLimit-Policy: "per-key";q=100;w=60`` and ``RateLimit: "per-key";r=42;t=17``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import falcon

from connect.adapters.http.client_ip import ClientAddress
from connect.domain.errors import RateLimited
from connect.domain.rate_limit import Decision, Quota
from connect.services.rate_limits import EXPORTS, FORM, RateLimits


@lru_cache(maxsize=64)
def policy_header(quota: Quota) -> str:
    return f'"{quota.name}";q={quota.limit};w={quota.window}'


def limit_header(decision: Decision) -> str:
    return f'"{decision.quota.name}";r={decision.remaining};t={decision.reset}'


def describe(resp: falcon.Response, decision: Decision) -> None:
    """The ``RateLimit-Policy`` and ``RateLimit`` headers for ``decision``."""
    resp.set_header("RateLimit-Policy", policy_header(decision.quota))
    resp.set_header("RateLimit", limit_header(decision))


def refuse(resp: falcon.Response, decision: Decision) -> None:
    """Raise the 429 for a refusing ``decision``, its headers set."""
    describe(resp, decision)
    raise RateLimited(decision.quota.name, decision.retry_after)


class FailedAuthentications:
    """The ``auth-failures`` policy: per client IP, a bounded number of failed
    authentications per window; past it, that client's keys are not even checked.

    Used by ``BearerAuth``, which knows when a presented key failed. Checking a wrong
    token for a known ``key_id`` costs an argon2 verification, so without this anyone
    could keep a CPU busy by sending wrong tokens for a public key id.
    """

    def __init__(self, limits: RateLimits, client_address: ClientAddress) -> None:
        self._limits = limits
        self._client_address = client_address

    def refuse_if_over(self, req: falcon.Request, resp: falcon.Response) -> None:
        decision = self._limits.auth_refusal(self._client_address(req))
        if decision is not None:
            refuse(resp, decision)

    def failed(self, req: falcon.Request, resp: falcon.Response) -> None:
        decision = self._limits.auth_failed(self._client_address(req))
        if decision is not None:
            describe(resp, decision)


class RateLimitGuard:
    """Must come after ``Authorization``: the per-key policy needs the principal.

    A route opts into a stricter policy in the route table (``rate_policy``):
    ``"exports"`` (counts against per-key and exports) or ``"form"`` (the public form's
    POST, per client IP). Other public routes are not limited.
    """

    def __init__(self, limits: RateLimits, client_address: ClientAddress) -> None:
        self._limits = limits
        self._client_address = client_address

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        route = getattr(req.context, "route", None)
        if route is None:
            return
        policy = route.rate_policy
        principal = getattr(req.context, "principal", None)
        decision: Decision | None
        if principal is not None:
            decision = self._limits.for_key(principal, export=policy == EXPORTS)
        elif policy == FORM and req.method == "POST":
            decision = self._limits.for_form(self._client_address(req))
        else:
            return
        if decision is None:
            return
        if not decision.allowed:
            refuse(resp, decision)
        describe(resp, decision)
