from __future__ import annotations

from datetime import datetime

from connect.adapters.memory.state import MemoryState
from connect.domain.deliveries import DeliveryStatus
from connect.domain.events import EventType
from connect.domain.metrics import nearest_rank
from connect.domain.mode import Mode
from connect.domain.time import truncate_to_second

EXPORTS_PREFIX = "/api/v1/exports/"


class MemoryMetricsQueries:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def keys_created(self, mode: Mode | None = None) -> int:
        return sum(1 for k in self._state.keys.values() if mode is None or k.mode is mode)

    def webhooks_registered(self, mode: Mode | None = None) -> int:
        return sum(1 for w in self._state.webhooks.values() if mode is None or w.mode is mode)

    def _since(self, since: datetime, mode: Mode | None) -> list[dict]:  # type: ignore[type-arg]
        start = truncate_to_second(since)
        return [
            row
            for row in self._state.audit
            if row["created_at"] >= start and (mode is None or self._key_mode(row) is mode)
        ]

    def _key_mode(self, row: dict) -> Mode | None:  # type: ignore[type-arg]
        key = self._state.keys.get(row["api_key_id"]) if row["api_key_id"] else None
        return key.mode if key is not None else None

    def export_downloads(self, since: datetime, mode: Mode | None = None) -> int:
        return sum(
            1
            for row in self._since(since, mode)
            if row["endpoint"].startswith(EXPORTS_PREFIX)
            and row["method"] == "GET"
            and (200 <= row["status_code"] < 300 or row["status_code"] == 304)
        )

    def delivery_outcomes(self, mode: Mode | None = None) -> tuple[int, int]:
        webhooks = self._state.webhooks
        statuses = [
            d.status
            for d in self._state.deliveries.values()
            if mode is None or (d.webhook_id in webhooks and webhooks[d.webhook_id].mode is mode)
        ]
        return (statuses.count(DeliveryStatus.SUCCEEDED), statuses.count(DeliveryStatus.FAILED))

    def webhook_health(self, failing_after: int, mode: Mode | None = None) -> tuple[int, int]:
        hooks = [w for w in self._state.webhooks.values() if mode is None or w.mode is mode]
        failing = sum(1 for w in hooks if w.active and w.failure_count >= failing_after)
        return (failing, sum(1 for w in hooks if not w.active))

    def deliveries_given_up(self, since: datetime, mode: Mode | None = None) -> int:
        start, webhooks = truncate_to_second(since), self._state.webhooks
        return sum(
            1
            for d in self._state.deliveries.values()
            if d.status is DeliveryStatus.FAILED
            and d.event is not EventType.WEBHOOK_TEST
            and d.updated_at >= start
            and (mode is None or (d.webhook_id in webhooks and webhooks[d.webhook_id].mode is mode))
        )

    def latencies_ms(self, since: datetime, mode: Mode | None = None) -> tuple[int, float | None]:
        durations = sorted(
            row["duration_ms"] for row in self._since(since, mode) if row["duration_ms"] is not None
        )
        if not durations:
            return (0, None)
        return (len(durations), float(durations[nearest_rank(len(durations), 95)]))
