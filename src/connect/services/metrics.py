"""The seed's success metrics, computed from stored data."""

from __future__ import annotations

from datetime import timedelta

from connect.domain.keys import Principal, Scope
from connect.domain.metrics import WINDOW_DAYS, SuccessMetrics
from connect.ports.system import Clock
from connect.ports.unit_of_work import UnitOfWork


class MetricsService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def compute(self, principal: Principal | None) -> SuccessMetrics:
        """``principal=None`` means a trusted local caller (the CLI).

        Raises:
            Forbidden: the key lacks ``keys:manage``.
        """
        if principal is not None:
            principal.require(Scope.KEYS_MANAGE)
        now = self._clock.now()
        since = now - timedelta(days=WINDOW_DAYS)
        with self._uow(write=False) as stores:
            queries = stores.metrics
            succeeded, failed = queries.delivery_outcomes()
            requests, p95 = queries.latencies_ms(since)
            return SuccessMetrics(
                api_keys_created=queries.keys_created(),
                webhooks_registered=queries.webhooks_registered(),
                export_downloads_7d=queries.export_downloads(since),
                deliveries_succeeded=succeeded,
                deliveries_failed=failed,
                requests_7d=requests,
                p95_latency_ms_7d=p95,
                computed_at=now,
            )
