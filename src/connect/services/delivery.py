"""Attempting one delivery: sign, send, record the attempt, apply the retry policy and
the endpoint's health. The worker calls this; so do the test send and tests."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta

from attrs import field, frozen

from connect._version import __version__
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, status_after
from connect.domain.events import Event
from connect.domain.operational import counts_towards_health, operational_event, signals
from connect.domain.retry import Outcome, classify, parse_retry_after, retry_delay
from connect.domain.signing import signature_headers
from connect.domain.webhooks import Webhook
from connect.ports.sender import SendResult, WebhookSender
from connect.ports.system import Clock
from connect.ports.unit_of_work import Stores, UnitOfWork
from connect.services.outbox import Outbox

log = logging.getLogger("connect.delivery")


USER_AGENT = f"Connect-Webhooks/{__version__}"


def request_headers(
    *,
    event_id: str,
    event: str,
    delivery_id: int,
    attempt: int,
    timestamp: int,
    body: bytes,
    secrets: Sequence[str],
) -> dict[str, str]:
    """Every header of one attempt, signed with a fresh timestamp."""
    return {
        **signature_headers(event_id, timestamp, body, secrets),
        "X-Connect-Event": event,
        "X-Connect-Delivery": str(delivery_id),
        "X-Connect-Attempt": str(attempt),
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
    }


@frozen(eq=False)
class DeliveryService:
    """Claims due deliveries and makes one attempt at each.

    ``schedule`` is the retry schedule (a delay per attempt, in seconds), jittered with
    ``random`` (uniform in [0, 1)). The operational events an attempt raises go to the
    ``outbox`` (ids made with ``choose``) and, once committed, to ``alerts`` (the
    e-mail alerts; it must not block).
    """

    _uow: UnitOfWork
    _clock: Clock
    sender: WebhookSender
    _schedule: Sequence[int] = field(kw_only=True)
    _random: Callable[[], float] = field(kw_only=True)
    _outbox: Outbox = field(kw_only=True)
    _choose: Callable[[str], str] = field(kw_only=True)
    _alerts: Callable[[Sequence[Event]], None] | None = field(default=None, kw_only=True)

    def claim(
        self,
        owner: str,
        *,
        limit: int,
        per_webhook: int,
        room: Mapping[int, int] | None = None,
        lease_seconds: int = 60,
    ) -> Sequence[Delivery]:
        """Lease due deliveries to ``owner`` (see ``DeliveryStore.claim``)."""
        now = self._clock.now()
        with self._uow() as stores:
            return stores.deliveries.claim(
                now,
                owner=owner,
                lease_until=now + timedelta(seconds=lease_seconds),
                limit=limit,
                per_webhook=per_webhook,
                room=room,
            )

    def renew(self, ids: Collection[int], owner: str, *, lease_seconds: int = 60) -> int:
        """``DeliveryStore.renew``, to ``lease_seconds`` from now."""
        if not ids:
            return 0
        lease_until = self._clock.now() + timedelta(seconds=lease_seconds)
        with self._uow() as stores:
            return stores.deliveries.renew(ids, owner, lease_until)

    def release(self, delivery: Delivery, owner: str) -> None:
        """Give back a claimed delivery that was not attempted (shutdown)."""
        with self._uow() as stores:
            stores.deliveries.release(delivery.id, owner, self._clock.now())

    def attempt(self, delivery: Delivery) -> Attempt | None:
        """Make the next attempt at a claimed delivery and record it.

        Returns ``None`` when nothing was sent: the webhook was deleted, or is disabled
        (the delivery is then ``paused`` until it is re-enabled).
        """
        with self._uow(write=False) as stores:
            webhook = stores.webhooks.get(delivery.webhook_id)
        if webhook is None:
            return None
        if not webhook.active:
            with self._uow() as stores:
                stores.deliveries.reschedule(
                    delivery.id,
                    status=DeliveryStatus.PAUSED,
                    next_attempt_at=delivery.next_attempt_at,
                    now=self._clock.now(),
                )
            return None
        attempt, result = self.send(webhook, delivery, delivery.attempt_count + 1)
        self._settle(delivery, attempt, result)
        return attempt

    def send(self, webhook: Webhook, delivery: Delivery, number: int) -> tuple[Attempt, SendResult]:
        """Sign and send one attempt (nothing is stored)."""
        started = self._clock.now()
        headers = request_headers(
            event_id=delivery.event_id,
            event=delivery.event.value,
            delivery_id=delivery.id,
            attempt=number,
            timestamp=int(started.timestamp()),
            body=delivery.payload,
            secrets=webhook.active_secrets(started),
        )
        result = self.sender.send(webhook.url, delivery.payload, headers)
        attempt = Attempt(
            attempt=number,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            error=result.error,
            response_snippet=result.response_snippet,
            attempted_at=started,
        )
        log.info(
            "delivery %s attempt %d to webhook %s: %s in %d ms",
            delivery.id,
            number,
            webhook.id,
            result.status_code if result.status_code is not None else result.error,
            result.duration_ms,
            extra={
                "delivery_id": delivery.id,
                "webhook_id": webhook.id,
                "event": delivery.event.value,
                "event_id": delivery.event_id,
                "attempt": number,
                "status_code": result.status_code,
                "outcome": classify(result.status_code).value,
                "duration_ms": result.duration_ms,
                "error": result.error,
            },
        )
        return attempt, result

    def _settle(self, delivery: Delivery, attempt: Attempt, result: SendResult) -> None:
        outcome = classify(result.status_code)
        raised: list[Event] = []
        with self._uow() as stores:
            now = self._clock.now()
            current = stores.webhooks.get(delivery.webhook_id)
            if current is None:
                return
            # NOTE: news of delivery health is not itself health: see domain/operational.py.
            counts = counts_towards_health(delivery.event)
            updated = current.after_attempt(outcome, now) if counts else current
            if updated != current:
                stores.webhooks.save(updated)
            delay: float | None = None
            if outcome is not Outcome.SUCCESS:
                after = parse_retry_after(result.status_code, result.retry_after, now)
                delay = retry_delay(self._schedule, attempt.attempt, self._random, after)
            status = status_after(outcome is Outcome.SUCCESS, updated.active, delay)
            due = None
            if delay is not None:
                due = now + timedelta(seconds=delay)
                # NOTE: due times are stored to the second: a zero delay is due at once;
                # any other is rounded up, never down (never retry early).
                if delay > 0 and due.microsecond:
                    due = due.replace(microsecond=0) + timedelta(seconds=1)
            stores.deliveries.record(
                delivery.id, attempt, status=status, next_attempt_at=due, now=now
            )
            if current.active and not updated.active:
                stores.deliveries.pause(delivery.webhook_id, now)
                log.warning(
                    "webhook %s disabled: %s",
                    delivery.webhook_id,
                    updated.disabled_reason,
                    extra={"webhook_id": delivery.webhook_id, "reason": updated.disabled_reason},
                )
            if counts:
                raised = self._raise(stores, current, updated, delivery, attempt, status, now)
        if raised:
            self._outbox.committed()
            if self._alerts is not None:
                self._alerts(raised)

    def _raise(
        self,
        stores: Stores,
        before: Webhook,
        after: Webhook,
        delivery: Delivery,
        attempt: Attempt,
        status: DeliveryStatus,
        now: datetime,
    ) -> list[Event]:
        """Enqueue the operational events of one settled attempt, in its transaction."""
        kinds = signals(
            before,
            after,
            succeeded=status is DeliveryStatus.SUCCEEDED,
            exhausted=status is DeliveryStatus.FAILED,
        )
        raised = [
            operational_event(kind, after, delivery, attempt, status, now=now, choose=self._choose)
            for kind in kinds
        ]
        self._outbox.enqueue(stores, raised)
        for event in raised:
            log.info(
                "operational event %s about webhook %s",
                event.type.value,
                after.id,
                extra={"event": event.type.value, "event_id": event.id, "webhook_id": after.id},
            )
        return raised

    def next_due_in(self, exclude: Collection[int] = ()) -> float | None:
        """Seconds until the earliest pending delivery is due (0 if overdue), leaving
        out the deliveries of the webhooks in ``exclude``."""
        with self._uow(write=False) as stores:
            due = stores.deliveries.next_due(exclude)
        if due is None:
            return None
        return max(0.0, (due - self._clock.now()).total_seconds())
