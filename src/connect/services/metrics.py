"""The seed's success metrics, computed from stored data."""

from __future__ import annotations

from datetime import timedelta

from attrs import frozen

from connect.domain.access import modes_seen
from connect.domain.keys import Principal
from connect.domain.metrics import WINDOW_DAYS, SuccessMetrics
from connect.domain.operational import FAILING_AFTER
from connect.ports.system import Clock
from connect.ports.unit_of_work import UnitOfWork


@frozen(eq=False)
class MetricsService:
    _uow: UnitOfWork
    _clock: Clock

    def compute(self, principal: Principal | None) -> SuccessMetrics:
        """The figures a key may see: a test-mode key's are over test-mode records
        only. ``principal=None`` means a trusted local caller (the CLI): everything."""
        mode = modes_seen(principal.mode) if principal is not None else None
        now = self._clock.now()
        since = now - timedelta(days=WINDOW_DAYS)
        with self._uow(write=False) as stores:
            queries = stores.metrics
            succeeded, failed = queries.delivery_outcomes(mode)
            requests, p95 = queries.latencies_ms(since, mode)
            failing, disabled = queries.webhook_health(FAILING_AFTER, mode)
            return SuccessMetrics(
                api_keys_created=queries.keys_created(mode),
                webhooks_registered=queries.webhooks_registered(mode),
                export_downloads_7d=queries.export_downloads(since, mode),
                deliveries_succeeded=succeeded,
                deliveries_failed=failed,
                requests_7d=requests,
                p95_latency_ms_7d=p95,
                computed_at=now,
                webhooks_failing=failing,
                webhooks_disabled=disabled,
                deliveries_exhausted_7d=queries.deliveries_given_up(since, mode),
            )
