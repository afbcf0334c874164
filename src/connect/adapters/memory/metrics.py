from __future__ import annotations

from datetime import datetime

from connect.adapters.memory.state import MemoryState
from connect.domain.deliveries import DeliveryStatus
from connect.domain.metrics import nearest_rank
from connect.domain.time import truncate_to_second

EXPORTS_PREFIX = "/api/v1/exports/"


class MemoryMetricsQueries:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def keys_created(self) -> int:
        return len(self._state.keys)

    def webhooks_registered(self) -> int:
        return len(self._state.webhooks)

    def _since(self, since: datetime) -> list[dict]:  # type: ignore[type-arg]
        start = truncate_to_second(since)
        return [row for row in self._state.audit if row["created_at"] >= start]

    def export_downloads(self, since: datetime) -> int:
        return sum(
            1
            for row in self._since(since)
            if row["endpoint"].startswith(EXPORTS_PREFIX)
            and row["method"] == "GET"
            and (200 <= row["status_code"] < 300 or row["status_code"] == 304)
        )

    def delivery_outcomes(self) -> tuple[int, int]:
        statuses = [d.status for d in self._state.deliveries.values()]
        return (statuses.count(DeliveryStatus.SUCCEEDED), statuses.count(DeliveryStatus.FAILED))

    def latencies_ms(self, since: datetime) -> tuple[int, float | None]:
        durations = sorted(
            row["duration_ms"] for row in self._since(since) if row["duration_ms"] is not None
        )
        if not durations:
            return (0, None)
        return (len(durations), float(durations[nearest_rank(len(durations), 95)]))
