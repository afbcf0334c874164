"""Rate limits at the edge: count the request, describe the quota in the headers,
answer 429 when a policy refuses.

Headers follow the IETF httpapi RateLimit draft (draft-ietf-httpapi-ratelimit-headers):
``RateLimit-Policy: "per-key";q=100;w=60`` and ``RateLimit: "per-key";r=42;t=17``.
"""

from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http.client_ip import ClientAddress
from connect.domain.errors import RateLimited
from connect.domain.rate_limit import Decision, Quota
from connect.services.rate_limits import EXPORTS, FORM, RateLimits


def policy_header(quota: Quota) -> str:
    return f'"{quota.name}";q={quota.limit};w={quota.window}'


def limit_header(decision: Decision) -> str:
    return f'"{decision.quota.name}";r={decision.remaining};t={decision.reset}'


class RateLimitGuard:
    """Must come after ``BearerAuth``: the per-key policy needs the principal.

    A resource opts into a stricter policy with a class attribute ``rate_policy``:
    ``"exports"`` (counts against per-key and exports) or ``"form"`` (the public form's
    POST, per client IP). Other public resources are not limited.
    """

    def __init__(self, limits: RateLimits, client_address: ClientAddress) -> None:
        self._limits = limits
        self._client_address = client_address
        self._policy_headers: dict[Quota, str] = {}

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        if resource is None:
            return
        policy = getattr(resource, "rate_policy", None)
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
        header = self._policy_headers.get(decision.quota)
        if header is None:
            header = self._policy_headers.setdefault(decision.quota, policy_header(decision.quota))
        resp.set_header("RateLimit-Policy", header)
        resp.set_header("RateLimit", limit_header(decision))
        if not decision.allowed:
            raise RateLimited(decision.quota.name, decision.retry_after)
