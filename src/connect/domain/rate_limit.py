"""Rate-limit math: a sliding-window log per partition, with an explicit ``now``.

Why a sliding log and not GCRA or a token bucket: both of those admit a full burst and
then keep refilling, so a client can get up to ``2 * limit - 1`` requests through in
one window (a burst at the end of one minute, a refill's worth at the start of the
next). The contract promises "100 requests/min", and the property tests hold the
limiter to it for every window: never more than ``limit`` admitted requests in any
``window`` seconds. The log costs one float per admitted request still inside the
window (at most ``limit`` per partition), and O(1) amortized work per decision.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Final

from attrs import frozen

#: The quotas' defaults, each a setting (docs/rate-limits.md): requests a minute per
#: key, exports an hour per key, and (count, seconds) for the public form and for wrong
#: secrets (per client address and per key id alike).
PER_KEY_PER_MINUTE: Final = 100
EXPORTS_PER_HOUR: Final = 10
FORM_LIMIT: Final = (10, 900)
AUTH_FAILURE_LIMIT: Final = (20, 60)


@frozen
class Quota:
    """A policy: at most ``limit`` requests in any ``window`` seconds.

    ``name`` is what clients see in ``RateLimit-Policy`` and in the problem type.
    """

    name: str
    limit: int
    window: int

    def __attrs_post_init__(self) -> None:
        if self.limit < 1 or self.window < 1:
            raise ValueError("a quota needs limit >= 1 and window >= 1 second")


@frozen
class Decision:
    """The answer for one request under one quota.

    Attributes:
        allowed: whether the request may proceed.
        remaining: requests still admitted now, after this one (if allowed).
        reset: whole seconds until more quota becomes available (the oldest counted
            request leaves the window); the ``t`` of the ``RateLimit`` header.
        retry_after: whole seconds to wait before a retry can succeed; 0 if allowed.
    """

    quota: Quota
    allowed: bool
    remaining: int
    reset: int
    retry_after: int


def _seconds(delay: float) -> int:
    # NOTE: callers compute ``window - (now - then)``: the difference of two nearby
    # times is exact in floating point, so a full window reads as exactly ``window``.
    return max(1, math.ceil(delay))


class SlidingWindow:
    """The times of the admitted requests of one partition still inside the window.

    Deterministic: time comes in as ``now`` (seconds on any monotonic scale); nothing
    here reads a clock.
    """

    __slots__ = ("_times",)

    def __init__(self) -> None:
        self._times: deque[float] = deque()

    def _expire(self, quota: Quota, now: float) -> None:
        # NOTE: a request admitted at ``a`` counts while ``now < a + window``.
        times, horizon = self._times, now - quota.window
        while times and times[0] <= horizon:
            times.popleft()

    def decide(self, quota: Quota, now: float) -> Decision:
        """Whether a request now is allowed, without recording it."""
        self._expire(quota, now)
        times = self._times
        used = len(times)
        if used >= quota.limit:
            wait = _seconds(quota.window - (now - times[used - quota.limit]))
            return Decision(quota, False, 0, wait, wait)
        oldest = times[0] if times else now
        remaining = quota.limit - used - 1
        return Decision(quota, True, remaining, _seconds(quota.window - (now - oldest)), 0)

    def may_be_full(self, quota: Quota) -> bool:
        """Whether ``decide`` could refuse: ``False`` means it surely admits."""
        return len(self._times) >= quota.limit

    def record(self, now: float) -> None:
        self._times.append(now)

    def idle(self, quota: Quota, now: float) -> bool:
        """Nothing counted any more: the partition can be forgotten."""
        return not self._times or self._times[-1] <= now - quota.window


def admit_all(claims: Sequence[tuple[Quota, SlidingWindow]], now: float) -> list[Decision]:
    """Decide under every quota at once; count the request only if all allow it.

    A refused request consumes nothing, under any policy.
    """
    decisions = [window.decide(quota, now) for quota, window in claims]
    if all(d.allowed for d in decisions):
        for _, window in claims:
            window.record(now)
    return decisions


def closest_to_limit(decisions: Sequence[Decision]) -> Decision:
    """The decision the response headers describe when several policies apply.

    A refusal wins (the longest wait first, since that is when a retry can succeed);
    otherwise the policy with the fewest requests remaining, then the longest reset.
    """
    refused = [d for d in decisions if not d.allowed]
    if refused:
        return max(refused, key=lambda d: d.retry_after)
    return min(decisions, key=lambda d: (d.remaining, -d.reset))
