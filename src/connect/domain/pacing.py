"""Per-endpoint pacing: at most ``rate`` attempts a second to one endpoint.

A generic cell rate (GCRA): each endpoint has a theoretical arrival time that moves by
``1/rate`` per attempt; an attempt may start when that time is at most one second of
burst ahead of now. Times are plain seconds (a monotonic clock), given by the caller.
"""

from __future__ import annotations

from attrs import define, field


@define
class Pacer:
    rate: float
    _next: dict[int, float] = field(factory=dict)

    def wait(self, endpoint: int, now: float) -> float:
        """Seconds until ``endpoint`` may take another attempt (0 = now)."""
        if self.rate <= 0:
            return 0.0
        burst = 1.0 - 1.0 / self.rate
        return max(0.0, self._next.get(endpoint, now) - now - burst)

    def take(self, endpoint: int, now: float) -> None:
        """Record an attempt starting at ``now``."""
        if self.rate <= 0:
            return
        self._next[endpoint] = max(self._next.get(endpoint, now), now) + 1.0 / self.rate
