"""The success-metrics read port, over memory and SQLite."""

from __future__ import annotations

from datetime import timedelta

from attrs import evolve

from connect.domain.deliveries import DeliveryStatus, NewDelivery
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.ports.unit_of_work import UnitOfWork
from tests.contract.seeding import T0, add_delivery, add_webhook
from tests.contract.test_audit_log import add_key, entry
from tests.contract.test_webhook_stores import new_webhook


def test_counts_keys_and_webhooks_ever_created(uow: UnitOfWork) -> None:
    add_key(uow, "rnc_live_aaaaaaaa")
    add_key(uow, "rnc_live_bbbbbbbb")
    with uow() as stores:
        add_webhook(uow)
        add_webhook(uow)
        add_webhook(uow)
    with uow(write=False) as stores:
        assert (stores.metrics.keys_created(), stores.metrics.webhooks_registered()) == (2, 3)


def test_export_downloads_count_successful_export_requests_since_a_time(
    uow: UnitOfWork,
) -> None:
    csv = "/api/v1/exports/submissions.csv"
    with uow() as stores:
        stores.audit.append(
            [
                entry(0, endpoint=csv),  # too old
                entry(60, endpoint=csv),
                entry(61, endpoint="/api/v1/exports/schedule.ics", status_code=304),
                entry(62, endpoint=csv, status_code=429),
                entry(63, endpoint=csv, status_code=403),
                entry(64, endpoint="/api/v1/submissions"),
                entry(65, endpoint="/api/v1/exportsfoo"),
                entry(66, endpoint=csv, method="HEAD"),  # asks, downloads nothing
            ]
        )
    with uow(write=False) as stores:
        assert stores.metrics.export_downloads(T0 + timedelta(minutes=60)) == 2


def test_delivery_outcomes_count_succeeded_and_failed_only(uow: UnitOfWork) -> None:
    with uow() as stores:
        hook = add_webhook(uow)
        for status in [DeliveryStatus.SUCCEEDED] * 3 + [
            DeliveryStatus.FAILED,
            DeliveryStatus.PENDING,
            DeliveryStatus.PAUSED,
        ]:
            add_delivery(uow, hook, status)
    with uow(write=False) as stores:
        assert stores.metrics.delivery_outcomes() == (3, 1)


def test_p95_latency_is_the_nearest_rank_over_the_recent_requests(uow: UnitOfWork) -> None:
    with uow() as stores:
        stores.audit.append([entry(0, duration_ms=9999.0)])  # before the window
        stores.audit.append([entry(10, duration_ms=float(ms)) for ms in range(1, 41)])
    with uow(write=False) as stores:
        # 40 values 1..40: rank ceil(0.95 * 40) = 38.
        assert stores.metrics.latencies_ms(T0 + timedelta(minutes=5)) == (40, 38.0)
        assert stores.metrics.latencies_ms(T0 + timedelta(days=1)) == (0, None)


def test_each_figure_can_be_kept_to_one_modes_records(uow: UnitOfWork) -> None:
    live, test = add_key(uow, "rnc_live_aaaaaaaa"), add_key(uow, "rnc_test_bbbbbbbb")
    live_hook, test_hook = add_webhook(uow, Mode.LIVE), add_webhook(uow, Mode.TEST)
    add_delivery(uow, live_hook, DeliveryStatus.SUCCEEDED)
    add_delivery(uow, test_hook, DeliveryStatus.FAILED)
    csv = "/api/v1/exports/submissions.csv"
    with uow() as stores:
        stores.audit.append(
            [
                entry(60, key=live, endpoint=csv, duration_ms=5.0),
                entry(61, key=test, endpoint=csv, duration_ms=9.0),
                entry(62, key=None, duration_ms=1.0),
            ]
        )
    since = T0 + timedelta(minutes=30)
    with uow(write=False) as stores:
        metrics = stores.metrics
        assert (metrics.keys_created(Mode.TEST), metrics.keys_created()) == (1, 2)
        assert (metrics.webhooks_registered(Mode.TEST), metrics.webhooks_registered()) == (1, 2)
        assert metrics.export_downloads(since, Mode.TEST) == 1
        assert metrics.export_downloads(since) == 2
        assert metrics.delivery_outcomes(Mode.TEST) == (0, 1)
        assert metrics.delivery_outcomes(Mode.LIVE) == (1, 0)
        assert metrics.latencies_ms(since, Mode.TEST) == (1, 9.0)
        assert metrics.latencies_ms(since) == (3, 9.0)


def test_webhook_health_counts_failing_active_and_disabled_webhooks_per_mode(
    uow: UnitOfWork,
) -> None:
    cases = [
        (Mode.LIVE, 4, True),
        (Mode.LIVE, 5, True),
        (Mode.LIVE, 12, False),
        (Mode.TEST, 7, True),
    ]
    with uow() as stores:
        for mode, failures, active in cases:
            webhook = evolve(stores.webhooks.add(new_webhook(mode=mode)), failure_count=failures)
            stores.webhooks.save(webhook if active else webhook.disabled("gone", T0))
    with uow(write=False) as stores:
        assert stores.metrics.webhook_health(5) == (2, 1)
        assert stores.metrics.webhook_health(5, Mode.LIVE) == (1, 1)
        assert stores.metrics.webhook_health(5, Mode.TEST) == (1, 0)
        assert stores.metrics.webhook_health(13) == (0, 1)


def test_deliveries_given_up_leave_out_test_sends_and_other_statuses(uow: UnitOfWork) -> None:
    live, test = add_webhook(uow), add_webhook(uow, Mode.TEST)
    for status in (DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED):
        add_delivery(uow, live, status)
    add_delivery(uow, test, DeliveryStatus.FAILED)
    with uow() as stores:
        stores.deliveries.add(
            NewDelivery(
                webhook_id=live,
                event_id="evt_test",
                event=EventType.WEBHOOK_TEST,
                payload=b"{}",
                status=DeliveryStatus.FAILED,
                next_attempt_at=None,
                created_at=T0,
            )
        )
    with uow(write=False) as stores:
        assert stores.metrics.deliveries_given_up(T0) == 3
        assert stores.metrics.deliveries_given_up(T0, Mode.LIVE) == 2
        assert stores.metrics.deliveries_given_up(T0 + timedelta(seconds=1)) == 0
