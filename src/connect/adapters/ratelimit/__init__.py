"""Rate limiting in process memory: one lock, a sliding-window log per partition.

State is per process. Behind several server processes, each enforces the limits on its
own share of the traffic (see docs/rate-limits.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from connect.domain.rate_limit import Decision, Quota, SlidingWindow, admit_all


class InProcessRateLimiter:
    """A thread-safe ``RateLimiter``.

    Args:
        monotonic: the time in seconds on a monotonic scale (injected for tests).
        max_partitions: how many partitions to remember; past it, idle ones are
            forgotten first, then the least recently created (bounded memory when
            many client addresses pass by).
    """

    def __init__(
        self, monotonic: Callable[[], float] = time.monotonic, max_partitions: int = 100_000
    ) -> None:
        self._monotonic = monotonic
        self._max = max_partitions
        self._windows: dict[tuple[str, str], tuple[Quota, SlidingWindow]] = {}
        self._lock = threading.Lock()

    def acquire(self, claims: Sequence[tuple[Quota, str]]) -> list[Decision]:
        with self._lock:
            now = self._monotonic()
            windows = [self._window(quota, partition, now) for quota, partition in claims]
            return admit_all(windows, now)

    def refusal(self, quota: Quota, partition: str) -> Decision | None:
        # NOTE: asked on every authenticated request, for a partition that is almost
        # always absent or far from full: answered without the lock then (a dict read
        # and a length are atomic), locked only when the window may be full.
        found = self._windows.get((quota.name, partition))
        if found is None or found[0] is not quota or not found[1].may_be_full(quota):
            return None
        with self._lock:
            decision = found[1].decide(quota, self._monotonic())
        return None if decision.allowed else decision

    def _window(self, quota: Quota, partition: str, now: float) -> tuple[Quota, SlidingWindow]:
        slot = (quota.name, partition)
        found = self._windows.get(slot)
        if found is None or found[0] is not quota:
            if len(self._windows) >= self._max:
                self._forget(now)
            found = (quota, SlidingWindow())
            self._windows[slot] = found
        return found

    def _forget(self, now: float) -> None:
        idle = [slot for slot, (q, w) in self._windows.items() if w.idle(q, now)]
        for slot in idle:
            del self._windows[slot]
        # NOTE: still full of live partitions: drop the oldest tenth. Those clients get
        # a fresh window, which errs on the side of serving them.
        if len(self._windows) >= self._max:
            for slot in list(self._windows)[: max(1, self._max // 10)]:
                del self._windows[slot]

    def __len__(self) -> int:
        return len(self._windows)
