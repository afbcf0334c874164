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

from datetime import datetime
from typing import Final

from attrs import field, fields, frozen

from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.events import (
    OPERATIONAL,
    Event,
    EventBody,
    EventType,
    Subject,
    new_event,
)
from connect.domain.keys import Choose
from connect.domain.shapes import describe, plain, project
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


@frozen
class WebhookHealth:
    """The endpoint the event is about (never its secret)."""

    id: int = field(metadata=describe("The webhook id.", minimum=1))
    url: str
    active: bool
    failure_count: int = field(metadata=describe("Consecutive failed attempts.", minimum=0))
    disabled_reason: str | None
    disabled_at: datetime | None


@frozen
class DeliveryTried:
    """The delivery whose attempt raised the event."""

    id: int
    event: EventType
    event_id: str
    status: DeliveryStatus = field(metadata=describe("Its status after the attempt."))
    attempt_count: int = field(metadata=describe("Attempts made so far.", minimum=0))


# NOTE: an attempt's fields are described once, on Attempt.
_TRIED: Final = fields(Attempt)


@frozen
class AttemptMade:
    """The attempt that raised the event."""

    attempt: int = field(metadata=_TRIED.attempt.metadata)
    status_code: int | None = field(metadata=_TRIED.status_code.metadata)
    error: str | None = field(metadata=_TRIED.error.metadata)
    duration_ms: int = field(metadata=_TRIED.duration_ms.metadata)
    attempted_at: datetime


@frozen
class OperationalData:
    """What an operational event is about: the endpoint, the delivery and the attempt."""

    webhook: WebhookHealth
    delivery: DeliveryTried
    attempt: AttemptMade


@frozen
class DisabledData(OperationalData):
    """What webhook.disabled is about: the same, and why the endpoint was disabled."""

    reason: str | None = field(metadata=describe("webhook.disabled only: why it stopped."))


@frozen
class OperationalEventBody(EventBody):
    """The body of an operational event: Connect's news about the health of one webhook
    (never sent to that webhook itself)."""

    data: OperationalData | DisabledData


def operational_event(
    kind: EventType,
    webhook: Webhook,
    delivery: Delivery,
    attempt: Attempt,
    status: DeliveryStatus,
    *,
    now: datetime,
    choose: Choose,
) -> Event:
    """The event ``kind`` about ``webhook``, raised by ``attempt`` at ``delivery``."""
    about = (
        project(WebhookHealth, webhook),
        project(DeliveryTried, delivery, status=status, attempt_count=attempt.attempt),
        project(AttemptMade, attempt),
    )
    data = (
        DisabledData(*about, reason=webhook.disabled_reason)
        if kind is EventType.WEBHOOK_DISABLED
        else OperationalData(*about)
    )
    subject = Subject(webhook.id, webhook.api_key_id)
    return new_event(kind, webhook.mode, plain(data), now, choose, subject)
