"""Which quotas a request counts against, and the decision its response reports."""

from __future__ import annotations

from attrs import frozen

from connect.domain.keys import Principal
from connect.domain.rate_limit import Decision, Quota, closest_to_limit
from connect.ports.rate_limit import RateLimiter

PER_KEY = "per-key"
EXPORTS = "exports"
FORM = "form"


@frozen
class RatePolicies:
    """The configured quotas; ``None`` turns one off (a limit of 0 in the settings)."""

    per_key: Quota | None
    exports: Quota | None
    form: Quota | None

    @classmethod
    def of(cls, per_minute: int, exports_per_hour: int, form: tuple[int, int]) -> RatePolicies:
        """From the settings' numbers, where 0 means off."""
        count, seconds = form
        return cls(
            per_key=Quota(PER_KEY, per_minute, 60) if per_minute > 0 else None,
            exports=Quota(EXPORTS, exports_per_hour, 3600) if exports_per_hour > 0 else None,
            form=Quota(FORM, count, seconds) if count > 0 else None,
        )


class RateLimits:
    """Counts requests against the policies that apply to them.

    Each method returns ``None`` when no policy applies (all off), else the decision
    the response headers describe: the refusal if any policy refused (the request
    then counted against none), otherwise the policy closest to its limit.
    """

    def __init__(self, limiter: RateLimiter, policies: RatePolicies) -> None:
        self._limiter = limiter
        self.policies = policies

    def for_key(self, principal: Principal, *, export: bool = False) -> Decision | None:
        """A request authenticated by ``principal``; ``export`` for export endpoints."""
        partition = str(principal.key)
        claims = []
        if self.policies.per_key is not None:
            claims.append((self.policies.per_key, partition))
        if export and self.policies.exports is not None:
            claims.append((self.policies.exports, partition))
        if not claims:
            return None
        return closest_to_limit(self._limiter.acquire(claims))

    def for_form(self, client_ip: str) -> Decision | None:
        """A public form submission from ``client_ip``."""
        if self.policies.form is None:
            return None
        return self._limiter.acquire([(self.policies.form, client_ip)])[0]
