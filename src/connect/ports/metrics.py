"""Reading the figures behind the success metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class MetricsQueries(Protocol):
    def keys_created(self) -> int:
        """Every API key ever created (revoked ones too)."""
        ...

    def webhooks_registered(self) -> int:
        """Every webhook registered (disabled ones too)."""
        ...

    def export_downloads(self, since: datetime) -> int:
        """Audited export requests since ``since`` answered 2xx or 304."""
        ...

    def delivery_outcomes(self) -> tuple[int, int]:
        """Deliveries ``(succeeded, failed)``; pending and paused ones are not counted."""
        ...

    def latencies_ms(self, since: datetime) -> tuple[int, float | None]:
        """Audited requests since ``since``: ``(count, 95th percentile duration)``,
        the percentile by nearest rank, ``None`` when there are none."""
        ...
