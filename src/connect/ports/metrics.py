"""Reading the figures behind the success metrics."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from connect.domain.mode import Mode


class MetricsQueries(Protocol):
    """Each figure is over every mode, or with ``mode`` over that mode's records only
    (for requests: the requests of that mode's keys)."""

    def keys_created(self, mode: Mode | None = None) -> int:
        """Every API key ever created (revoked ones too)."""
        ...

    def webhooks_registered(self, mode: Mode | None = None) -> int:
        """Every webhook registered (disabled ones too)."""
        ...

    def export_downloads(self, since: datetime, mode: Mode | None = None) -> int:
        """Audited export requests since ``since`` answered 2xx or 304."""
        ...

    def delivery_outcomes(self, mode: Mode | None = None) -> tuple[int, int]:
        """Deliveries ``(succeeded, failed)``; pending and paused ones are not counted."""
        ...

    def webhook_health(self, failing_after: int, mode: Mode | None = None) -> tuple[int, int]:
        """Webhooks ``(failing, disabled)``: active ones with at least ``failing_after``
        consecutive failed attempts, and disabled ones."""
        ...

    def deliveries_given_up(self, since: datetime, mode: Mode | None = None) -> int:
        """Deliveries given up (``failed``, last changed since ``since``), test sends
        (``webhook.test``) left out."""
        ...

    def latencies_ms(self, since: datetime, mode: Mode | None = None) -> tuple[int, float | None]:
        """Audited requests since ``since``: ``(count, 95th percentile duration)``,
        the percentile by nearest rank, ``None`` when there are none."""
        ...
