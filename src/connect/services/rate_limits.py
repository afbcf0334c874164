"""Which quotas a request counts against, and the decision its response reports."""

from __future__ import annotations

from attrs import frozen

from connect.domain.keys import Principal
from connect.domain.rate_limit import Decision, Quota, closest_to_limit
from connect.ports.rate_limit import RateLimiter

PER_KEY = "per-key"
EXPORTS = "exports"
FORM = "form"
AUTH_FAILURES = "auth-failures"
AUTH_FAILURES_PER_KEY = "auth-failures-per-key"


@frozen
class RatePolicies:
    """The configured quotas; ``None`` turns one off (a limit of 0 in the settings)."""

    per_key: Quota | None
    exports: Quota | None
    form: Quota | None
    auth_failures: Quota | None
    auth_failures_per_key: Quota | None

    @classmethod
    def of(
        cls,
        per_minute: int,
        exports_per_hour: int,
        form: tuple[int, int],
        auth_failures: tuple[int, int] = (0, 60),
        auth_failures_per_key: tuple[int, int] = (0, 60),
    ) -> RatePolicies:
        """From the settings' numbers, where 0 means off."""
        return cls(
            per_key=_quota(PER_KEY, per_minute, 60),
            exports=_quota(EXPORTS, exports_per_hour, 3600),
            form=_quota(FORM, *form),
            auth_failures=_quota(AUTH_FAILURES, *auth_failures),
            auth_failures_per_key=_quota(AUTH_FAILURES_PER_KEY, *auth_failures_per_key),
        )


def _quota(name: str, limit: int, window: int) -> Quota | None:
    return Quota(name, limit, window) if limit > 0 else None


def _claims(*claims: tuple[Quota | None, str]) -> list[tuple[Quota, str]]:
    """The claims whose policy is on."""
    return [(quota, partition) for quota, partition in claims if quota is not None]


@frozen(eq=False)
class RateLimits:
    """Counts requests against the policies that apply to them.

    Each method returns ``None`` when no policy applies (all off), else the decision
    the response headers describe: the refusal if any policy refused (the request
    then counted against none), otherwise the policy closest to its limit.
    """

    _limiter: RateLimiter
    policies: RatePolicies

    def for_key(self, principal: Principal, *, export: bool = False) -> Decision | None:
        """A request authenticated by ``principal``; ``export`` for export endpoints."""
        partition = str(principal.key)
        exports = self.policies.exports if export else None
        claims = _claims((self.policies.per_key, partition), (exports, partition))
        return closest_to_limit(self._limiter.acquire(claims)) if claims else None

    def for_form(self, client_ip: str) -> Decision | None:
        """A public form submission from ``client_ip``."""
        if self.policies.form is None:
            return None
        return self._limiter.acquire([(self.policies.form, client_ip)])[0]

    def _auth_claims(self, client_ip: str, key_id: str) -> list[tuple[Quota, str]]:
        return _claims(
            (self.policies.auth_failures, client_ip), (self.policies.auth_failures_per_key, key_id)
        )

    def auth_refusal(self, client_ip: str, key_id: str) -> Decision | None:
        """The refusal for a wrong-secret guess at ``key_id`` from ``client_ip``, if
        either failed too often lately (asked before a slow verification), else ``None``."""
        refusals = [
            refusal
            for quota, partition in self._auth_claims(client_ip, key_id)
            if (refusal := self._limiter.refusal(quota, partition)) is not None
        ]
        return closest_to_limit(refusals) if refusals else None

    def auth_failed(self, client_ip: str, key_id: str) -> Decision | None:
        """Count one wrong secret for ``key_id`` from ``client_ip``; the decision says
        how many more failures are allowed before one of them is refused."""
        claims = self._auth_claims(client_ip, key_id)
        if not claims:
            return None
        decisions = self._limiter.acquire(claims)
        if not all(d.allowed for d in decisions):
            # NOTE: a concurrent failure filled a window since ``auth_refusal``; count
            # this one where there is room, so the bound stays a bound.
            decisions = [
                self._limiter.acquire([claim])[0]
                for claim, d in zip(claims, decisions, strict=True)
                if d.allowed
            ] or decisions
        return closest_to_limit(decisions)
