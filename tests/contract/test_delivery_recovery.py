from __future__ import annotations

from datetime import timedelta

from attrs import evolve

from connect.domain.deliveries import DeliveryStatus
from connect.domain.events import EventType
from tests.contract.test_webhook_stores import NOW, new_delivery, new_webhook

HOUR = timedelta(hours=1)


def test_recover_requeues_failed_deliveries_of_the_window_once_each(uow):
    later = NOW + 2 * HOUR
    with uow() as stores:
        hook = stores.webhooks.add(new_webhook())
        other = stores.webhooks.add(new_webhook())

        def add(status, created=NOW, event=EventType.SUBMISSION_CREATED, webhook=hook.id):
            new = evolve(
                new_delivery(webhook, event_id=f"evt_{created:%H%M%S}"),
                status=status,
                created_at=created,
                event=event,
            )
            return stores.deliveries.add(new)

        failed = add(DeliveryStatus.FAILED)
        at_the_end = add(DeliveryStatus.FAILED, created=NOW + HOUR)
        too_early = add(DeliveryStatus.FAILED, created=NOW - timedelta(seconds=1))
        too_late = add(DeliveryStatus.FAILED, created=NOW + HOUR + timedelta(seconds=1))
        succeeded = add(DeliveryStatus.SUCCEEDED)
        paused = add(DeliveryStatus.PAUSED)
        test_send = add(DeliveryStatus.FAILED, event=EventType.WEBHOOK_TEST)
        elsewhere = add(DeliveryStatus.FAILED, webhook=other.id)

        recovered = stores.deliveries.recover(
            hook.id, NOW, NOW + HOUR, later, skip={EventType.WEBHOOK_TEST}
        )
        assert recovered == 2
        for delivery in (failed, at_the_end):
            queued = stores.deliveries.get(delivery.id)
            assert queued.status is DeliveryStatus.PENDING
            assert queued.next_attempt_at == later
            assert queued.event_id == delivery.event_id and queued.payload == delivery.payload
        for delivery in (too_early, too_late, succeeded, paused, test_send, elsewhere):
            assert stores.deliveries.get(delivery.id).status is delivery.status
        again = stores.deliveries.recover(
            hook.id, NOW, NOW + HOUR, later, skip={EventType.WEBHOOK_TEST}
        )
        assert again == 0
        claimed = stores.deliveries.claim(
            later, owner="w", lease_until=later + HOUR, limit=10, per_webhook=10
        )
        assert sorted(d.id for d in claimed) == [failed.id, at_the_end.id]
