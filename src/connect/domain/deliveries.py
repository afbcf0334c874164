"""Deliveries of one event to one webhook, and the attempts made for each."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import field, frozen

from connect.domain.events import EventType
from connect.domain.shapes import describe


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PAUSED = "paused"
    # NOTE: set when the submission the event was about is erased: never sent again.
    CANCELLED = "cancelled"


@frozen
class Attempt:
    """One try at delivering an event: the API shows it as it is."""

    attempt: int = field(metadata=describe("1 for the first try.", minimum=1))
    status_code: int | None = field(metadata=describe("null: no HTTP answer."))
    duration_ms: int = field(metadata=describe("Time to the answer.", minimum=0))
    error: str | None = field(metadata=describe("Why it failed without an answer."))
    response_snippet: str | None = field(metadata=describe("The first 1 KiB of the response body."))
    attempted_at: datetime


@frozen
class NewDelivery:
    """A delivery as the outbox queues it, before storage numbers it."""

    webhook_id: int
    event_id: str
    event: EventType
    payload: bytes
    status: DeliveryStatus
    next_attempt_at: datetime | None
    created_at: datetime


@frozen
class Delivery(NewDelivery):
    """``payload`` is the exact event body; every retry sends the same bytes."""

    id: int = field(kw_only=True)
    attempt_count: int
    updated_at: datetime
    attempts: tuple[Attempt, ...] = ()


def status_after(succeeded: bool, endpoint_active: bool, delay: float | None) -> DeliveryStatus:
    """Where a delivery goes after an attempt: done, given up, waiting for its endpoint
    to be re-enabled, or pending its next attempt."""
    if succeeded:
        return DeliveryStatus.SUCCEEDED
    if delay is None:
        return DeliveryStatus.FAILED
    if not endpoint_active:
        return DeliveryStatus.PAUSED
    return DeliveryStatus.PENDING
