"""Counting requests against rate-limit quotas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from connect.domain.rate_limit import Decision, Quota


class RateLimiter(Protocol):
    def acquire(self, claims: Sequence[tuple[Quota, str]]) -> list[Decision]:
        """Count one request against each ``(quota, partition)`` claim, atomically.

        The request is counted under every quota if all of them allow it, under none
        otherwise. Returns one decision per claim, in order.
        """
        ...

    def refusal(self, quota: Quota, partition: str) -> Decision | None:
        """The refusal acquiring ``(quota, partition)`` would meet now, or ``None`` if
        it would be allowed. Counts nothing."""
        ...
