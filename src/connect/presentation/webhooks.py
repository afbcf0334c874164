"""The webhook documents: an endpoint, its deliveries, a recovery."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from attrs import field, frozen

from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.recovery import Recovery
from connect.domain.requests.webhooks import WEBHOOK_EVENTS, WEBHOOK_URL
from connect.domain.shapes import describe, project
from connect.domain.signing import SECRET_PREFIX
from connect.domain.webhooks import DISABLE_AFTER, Webhook

EVENT_ID: Final = "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c"


@frozen
class WebhookDocument:
    """A registered HTTPS endpoint. Its secret is never part of it."""

    id: int = field(metadata=describe("The webhook id.", example=3, minimum=1))
    url: str = field(metadata=WEBHOOK_URL)
    events: frozenset[EventType] = field(metadata=WEBHOOK_EVENTS)
    active: bool = field(
        metadata=describe(
            f"false after {DISABLE_AFTER} consecutive failures or a 410 Gone.", example=True
        )
    )
    failure_count: int = field(metadata=describe("Consecutive failed attempts.", minimum=0))
    disabled_reason: str | None = field(
        metadata=describe(
            f"Why it stopped: {DISABLE_AFTER} failures, a 410, disabled through the API, "
            "or owner_revoked (the key that owns it was revoked)."
        )
    )
    disabled_at: datetime | None = field(metadata=describe("When it stopped; null if active."))
    api_key_id: int | None = field(metadata=describe("The key that owns it.", example=7))
    mode: Mode
    created_at: datetime

    @classmethod
    def of(cls, webhook: Webhook) -> WebhookDocument:
        return project(cls, webhook)


@frozen
class WebhookWithSecret(WebhookDocument):
    """A webhook with its secret: shown once, at registration or rotation."""

    secret: str = field(
        metadata=describe(
            f"{SECRET_PREFIX} + base64 of 32 bytes. Shown once; store it now.",
            example=f"{SECRET_PREFIX}MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            pattern=f"^{SECRET_PREFIX}[A-Za-z0-9+/=]+$",
        )
    )

    @classmethod
    def issued(cls, webhook: Webhook, secret: str) -> WebhookWithSecret:
        return project(cls, webhook, secret=secret)


@frozen
class DeliveryDocument:
    """One event's delivery to one webhook, and the attempts made so far."""

    id: int = field(metadata=describe("The delivery id.", example=12, minimum=1))
    webhook_id: int = field(metadata=describe("The webhook it is for.", example=3))
    event_id: str = field(metadata=describe("The webhook-id header of each try.", example=EVENT_ID))
    event: EventType
    status: DeliveryStatus
    attempt_count: int = field(metadata=describe("Attempts made.", minimum=0))
    next_attempt_at: datetime | None
    created_at: datetime
    attempts: tuple[Attempt, ...]

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryDocument:
        return project(cls, delivery)


@frozen
class TestSend(Attempt):
    """The attempt of a test send, and whether the endpoint took it."""

    success: bool = field(metadata=describe("The endpoint answered 2xx."))
    delivery_id: int = field(
        metadata=describe("The test's delivery, in the log.", example=12, minimum=1)
    )
    event_id: str = field(
        metadata=describe("The webhook-id header it was sent with.", example=EVENT_ID)
    )

    @classmethod
    def of(cls, delivery: Delivery, attempt: Attempt) -> TestSend:
        code = attempt.status_code
        return project(
            cls,
            attempt,
            success=code is not None and 200 <= code < 300,
            delivery_id=delivery.id,
            event_id=delivery.event_id,
        )


@frozen
class RecoveryDocument:
    """What a recovery queued again, and the window it looked in."""

    webhook_id: int = field(metadata=describe("The webhook recovered.", example=3))
    since: datetime = field(
        metadata=describe("The window's start.", example="2026-02-06T09:00:00Z")
    )
    until: datetime = field(metadata=describe("The window's end.", example="2026-02-06T13:00:00Z"))
    recovered: int = field(
        metadata=describe(
            "Deliveries queued again (0 when there was nothing to recover).",
            example=42,
            minimum=0,
        )
    )

    @classmethod
    def of(cls, recovery: Recovery) -> RecoveryDocument:
        window = recovery.window
        return project(cls, recovery, since=window.since, until=window.until)
