"""Success metrics from stored data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect
from connect.domain.deliveries import DeliveryStatus
from connect.domain.keys import Scope
from connect.testing import ManualClock
from tests.contract.seeding import add_delivery, add_webhook
from tests.contract.test_audit_log import entry


def test_metrics_are_computed_from_stored_data_over_the_last_seven_days(
    memory_connect: Connect, clock: ManualClock
) -> None:
    uow = memory_connect.uow
    assert isinstance(uow, MemoryUnitOfWork)
    hook = add_webhook(uow)
    for status in [DeliveryStatus.SUCCEEDED] * 199 + [DeliveryStatus.FAILED]:
        add_delivery(uow, hook, status)
    with uow() as stores:  # two hours before the clock's "now"
        stores.audit.append(
            [entry(0, endpoint="/api/v1/exports/submissions.json", duration_ms=5.0)]
        )
    memory_connect.keys.create(name="k", scopes=frozenset({Scope.KEYS_MANAGE}), created_by="t")

    metrics = memory_connect.metrics.compute(None)
    assert (metrics.api_keys_created, metrics.webhooks_registered) == (1, 1)
    assert (metrics.export_downloads_7d, metrics.p95_latency_ms_7d) == (1, 5.0)
    assert metrics.delivery_success_rate == pytest.approx(0.995)
    assert metrics.met("delivery_success_rate") is True
    assert metrics.met("api_keys_created") is False
    assert metrics.computed_at == clock.now()

    clock.advance(timedelta(days=7).total_seconds())
    later = memory_connect.metrics.compute(None)
    assert (later.export_downloads_7d, later.p95_latency_ms_7d, later.requests_7d) == (0, None, 0)
