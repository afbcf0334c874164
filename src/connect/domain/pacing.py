"""Per-endpoint pacing: at most ``rate`` attempts a second to one endpoint.

Attempts to one endpoint start at least ``1/rate`` seconds apart, so no window of one
second ever holds more than ``rate`` of them (no burst allowance: a receiver that asked
for 10/s never sees 11 in a second). Times are plain seconds (a monotonic clock),
given by the caller.
"""

from __future__ import annotations

from typing import Final

from attrs import define, field

#: The default pace (``CONNECT_DELIVERY_RATE_PER_SECOND``).
DELIVERIES_PER_SECOND: Final = 10


@define
class Pacer:
    rate: float
    _next: dict[int, float] = field(factory=dict)

    def wait(self, endpoint: int, now: float) -> float:
        """Seconds until ``endpoint`` may take another attempt (0 = now)."""
        if self.rate <= 0:
            return 0.0
        return max(0.0, self._next.get(endpoint, now) - now)

    def take(self, endpoint: int, now: float) -> None:
        """Record an attempt starting at ``now``."""
        if self.rate <= 0:
            return
        self._next[endpoint] = max(self._next.get(endpoint, now), now) + 1.0 / self.rate
