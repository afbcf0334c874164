"""Operational events: what Connect itself tells organizers about delivery health.

The rules, over the webhook's count of consecutive failed attempts (``failure_count``,
which a success resets and re-enabling resets):

- ``webhook.failing``: an attempt took the count to exactly ``FAILING_AFTER`` (5),
  so once per streak of failures.
- ``webhook.recovered``: a success ended a streak of at least ``FAILING_AFTER``
  failures, so exactly once after each ``webhook.failing`` whose streak a success ends
  (a streak ended by re-enabling raises none).
- ``webhook.disabled``: an attempt disabled the endpoint (the tenth consecutive
  failure, or ``410 Gone``); the reason is in the event.
- ``delivery.exhausted``: an attempt failed and no retry is left.

One attempt can raise several (a ``410 Gone`` at the fifth failure is failing and
disabled). Deliveries of operational events themselves do not count towards the
endpoint's health and raise no operational event: two endpoints that both fail cannot
keep each other busy with news of each other's failures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.events import OPERATIONAL, Event, EventType, Subject, new_event_id
from connect.domain.time import format_instant
from connect.domain.webhooks import Webhook

FAILING_AFTER: Final = 5


def counts_towards_health(event: EventType) -> bool:
    """Whether the outcome of a delivery of ``event`` changes its endpoint's health."""
    return event not in OPERATIONAL


def signals(
    before: Webhook, after: Webhook, *, succeeded: bool, exhausted: bool
) -> list[EventType]:
    """The operational events raised by one attempt, in a stable order.

    Args:
        before: the webhook before the attempt's outcome was applied.
        after: the webhook after it (``before.after_attempt(...)``).
        succeeded: the attempt succeeded.
        exhausted: the attempt failed and its delivery has no retry left.
    """
    raised: list[EventType] = []
    if (
        not succeeded
        and before.failure_count < FAILING_AFTER
        and after.failure_count == FAILING_AFTER
    ):
        raised.append(EventType.WEBHOOK_FAILING)
    if before.active and not after.active:
        raised.append(EventType.WEBHOOK_DISABLED)
    if succeeded and before.failure_count >= FAILING_AFTER:
        raised.append(EventType.WEBHOOK_RECOVERED)
    if exhausted and not succeeded:
        raised.append(EventType.DELIVERY_EXHAUSTED)
    return raised


def operational_event(
    kind: EventType,
    webhook: Webhook,
    delivery: Delivery,
    attempt: Attempt,
    status: DeliveryStatus,
    *,
    now: datetime,
    choose: Callable[[str], str],
) -> Event:
    """The event ``kind`` about ``webhook``, raised by ``attempt`` at ``delivery``.

    The data names the endpoint (never its secret), the delivery and the attempt.
    """
    data: dict[str, Any] = {
        "webhook": {
            "id": webhook.id,
            "url": webhook.url,
            "active": webhook.active,
            "failure_count": webhook.failure_count,
            "disabled_reason": webhook.disabled_reason,
            "disabled_at": (
                format_instant(webhook.disabled_at) if webhook.disabled_at is not None else None
            ),
        },
        "delivery": {
            "id": delivery.id,
            "event": delivery.event.value,
            "event_id": delivery.event_id,
            "status": status.value,
            "attempt_count": attempt.attempt,
        },
        "attempt": {
            "attempt": attempt.attempt,
            "status_code": attempt.status_code,
            "error": attempt.error,
            "duration_ms": attempt.duration_ms,
            "attempted_at": format_instant(attempt.attempted_at),
        },
    }
    if kind is EventType.WEBHOOK_DISABLED:
        data["reason"] = webhook.disabled_reason
    return Event(
        id=new_event_id(choose),
        type=kind,
        timestamp=now,
        mode=webhook.mode,
        data=data,
        subject=Subject(webhook.id, webhook.api_key_id),
    )
