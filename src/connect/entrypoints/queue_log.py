"""waitress's "Task queue depth" warning, sampled.

waitress warns on every request that has to wait for a busy thread. Under a burst that
is one log line per request, each built (with a walk up the stack) on waitress's
accepting thread while it holds the task queue's lock: measured, about a tenth of a
loaded server's time (bench/api_list.py). Operators still need the signal, once in a
while and with the figure that matters: how deep the queue got.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class SampledQueueWarnings:
    """Stands in for waitress's ``queue_logger``: forwards at most one warning per
    ``interval`` seconds, carrying the deepest queue and how many requests queued.

    waitress calls ``warning`` with its dispatcher lock held, so calls never overlap.

    Args:
        logger: where the sampled warnings go (``waitress.queue``).
        clock: monotonic seconds.
    """

    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._interval = interval
        self._clock = clock
        self._next_at = float("-inf")
        self._deepest = 0
        self._queued = 0

    def warning(self, message: str, depth: int, *args: object) -> None:
        self._deepest = max(self._deepest, depth)
        self._queued += 1
        now = self._clock()
        if now < self._next_at:
            return
        self._logger.warning(
            "requests are waiting for a free thread: queue depth %d, deepest %d, "
            "%d requests queued since the last warning (see --threads)",
            depth,
            self._deepest,
            self._queued,
        )
        self._next_at = now + self._interval
        self._deepest = 0
        self._queued = 0


def sample_queue_warnings(server: object) -> None:
    """Make a waitress server's task dispatcher warn about its queue through
    ``SampledQueueWarnings`` (a no-op if this waitress version names things differently)."""
    dispatcher = getattr(server, "task_dispatcher", None)
    original = getattr(dispatcher, "queue_logger", None)
    if isinstance(original, logging.Logger):
        dispatcher.queue_logger = SampledQueueWarnings(original)  # type: ignore[union-attr]
