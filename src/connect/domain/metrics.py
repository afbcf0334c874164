"""The seed's success metrics and their targets."""

from __future__ import annotations

import math
import operator
from datetime import datetime
from typing import Final

from attrs import frozen

WINDOW_DAYS: Final = 7
_COMPARE: Final = {">=": operator.ge, ">": operator.gt, "<": operator.lt}
TARGETS: Final = {
    "api_keys_created": (">=", 10),
    "webhooks_registered": (">=", 5),
    "export_downloads_7d": (">=", 20),
    "delivery_success_rate": (">", 0.99),
    "p95_latency_ms_7d": ("<", 200),
}


def nearest_rank(count: int, percentile: float) -> int:
    """The 0-based index of the ``percentile`` (0..100) of ``count`` sorted values."""
    return max(0, math.ceil(percentile / 100 * count) - 1)


@frozen
class SuccessMetrics:
    api_keys_created: int
    webhooks_registered: int
    export_downloads_7d: int
    deliveries_succeeded: int
    deliveries_failed: int
    requests_7d: int
    p95_latency_ms_7d: float | None
    computed_at: datetime
    # Delivery health (the operational events' conditions); no targets.
    webhooks_failing: int = 0
    webhooks_disabled: int = 0
    deliveries_exhausted_7d: int = 0

    @property
    def delivery_success_rate(self) -> float | None:
        """Succeeded over finished (succeeded + failed); ``None`` before any finished."""
        finished = self.deliveries_succeeded + self.deliveries_failed
        return self.deliveries_succeeded / finished if finished else None

    def met(self, name: str) -> bool | None:
        """Whether a metric meets the seed's target; ``None`` without data."""
        value = getattr(self, name)
        if value is None:
            return None
        op, target = TARGETS[name]
        return bool(_COMPARE[op](value, target))
