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


@frozen
class RatePolicies:
    """The configured quotas; ``None`` turns one off (a limit of 0 in the settings)."""

    per_key: Quota | None
    exports: Quota | None
    form: Quota | None
    auth_failures: Quota | None = None

    @classmethod
    def of(
        cls,
        per_minute: int,
        exports_per_hour: int,
        form: tuple[int, int],
        auth_failures: tuple[int, int] = (0, 60),
    ) -> RatePolicies:
        """From the settings' numbers, where 0 means off."""
        count, seconds = form
        failures, failure_window = auth_failures
        return cls(
            per_key=Quota(PER_KEY, per_minute, 60) if per_minute > 0 else None,
            exports=Quota(EXPORTS, exports_per_hour, 3600) if exports_per_hour > 0 else None,
            form=Quota(FORM, count, seconds) if count > 0 else None,
            auth_failures=(
                Quota(AUTH_FAILURES, failures, failure_window) if failures > 0 else None
            ),
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

    def auth_refusal(self, client_ip: str) -> Decision | None:
        """The refusal for a client that failed authentication too often, else ``None``.

        Asked before a presented key is checked: a refused client's keys are not
        checked at all (each check of a wrong token costs an argon2 verification).
        """
        if self.policies.auth_failures is None:
            return None
        return self._limiter.refusal(self.policies.auth_failures, client_ip)

    def auth_failed(self, client_ip: str) -> Decision | None:
        """Count one failed authentication by ``client_ip``; the decision says how many
        more it may fail before it is refused."""
        if self.policies.auth_failures is None:
            return None
        return self._limiter.acquire([(self.policies.auth_failures, client_ip)])[0]
