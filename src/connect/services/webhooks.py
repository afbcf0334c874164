"""Webhooks: register, list, change, delete, rotate the secret, test, and the log."""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from connect.domain import events
from connect.domain.access import can_manage_webhook, check_new_owner, webhooks_listed_for
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.errors import Conflict, NotFound
from connect.domain.keys import DEFAULT_GRACE_SECONDS, Principal, parse_grace_seconds
from connect.domain.pagination import Page, decode_cursor, page_of
from connect.domain.recovery import NEVER_RECOVERED, Recovery
from connect.domain.recovery import window as recovery_window
from connect.domain.requests.rules import Unset
from connect.domain.requests.webhooks import RecoveryRequest, WebhookPatch, WebhookRegistration
from connect.domain.retry import Outcome, classify
from connect.domain.signing import generate_secret
from connect.domain.urls import Network, parse_networks, parse_webhook_url
from connect.domain.webhooks import NewWebhook, Webhook, apply_patch
from connect.ports.system import Clock, Entropy
from connect.ports.unit_of_work import Stores, UnitOfWork
from connect.services.delivery import DeliveryService
from connect.services.outbox import Outbox
from connect.services.send_now import SendNow


@frozen
class IssuedWebhook:
    """A webhook and its secret, shown once (at creation or rotation)."""

    webhook: Webhook
    secret: str


@frozen
class TestResult:
    delivery: Delivery
    attempt: Attempt


@frozen(eq=False)
class WebhookService:
    """Webhook endpoints and their delivery log, as seen by one API key.

    A key sees the webhooks it owns, in its mode; a ``keys:manage`` key sees every
    webhook of its mode.
    """

    _uow: UnitOfWork
    _clock: Clock
    _entropy: Entropy
    _deliveries: DeliveryService
    _outbox: Outbox
    _allow: tuple[Network, ...] = field(
        default=(), converter=parse_networks, alias="allow_networks", kw_only=True
    )
    # NOTE: test sends run here, not on the request thread: 2 at once, 5 s deadline.
    _send_now: SendNow = field(factory=SendNow, kw_only=True)

    def _now(self) -> datetime:
        return self._clock.now().replace(microsecond=0)

    def _visible(
        self, stores: Stores, principal: Principal | None, id: int, *, active: bool = False
    ) -> Webhook:
        """Webhook ``id``, if ``principal`` may manage it (``None``: a trusted local
        caller, any webhook). With ``active``, a disabled one is a ``Conflict``."""
        webhook = stores.webhooks.get(id, principal.mode if principal is not None else None)
        if webhook is None or (
            principal is not None and not can_manage_webhook(principal, webhook)
        ):
            raise NotFound(f"no webhook {id}")
        if active and not webhook.active:
            raise Conflict(f"webhook {webhook.id} is disabled; re-enable it first")
        return webhook

    def register(self, principal: Principal, registration: WebhookRegistration) -> IssuedWebhook:
        """Register a webhook for the key's mode, owned by the key.

        Raises:
            ValidationFailed: the URL points at a network the operator does not allow;
                nothing is stored.
        """
        parse_webhook_url(registration.url, self._allow)
        secret = generate_secret(self._entropy.token_bytes)
        new = NewWebhook(
            url=registration.url,
            events=registration.events,
            secret=secret,
            api_key_id=principal.key,
            mode=principal.mode,
            created_at=self._now(),
        )
        with self._uow() as stores:
            return IssuedWebhook(stores.webhooks.add(new), secret)

    def list(self, principal: Principal, *, limit: int, cursor: str | None) -> Page[Webhook]:
        before = decode_cursor(cursor)
        owner = webhooks_listed_for(principal)
        with self._uow(write=False) as stores:
            rows = stores.webhooks.list(principal.mode, owner=owner, limit=limit + 1, before=before)
        return page_of(rows, limit, lambda w: w.id)

    def get(self, principal: Principal, id: int) -> Webhook:
        with self._uow(write=False) as stores:
            return self._visible(stores, principal, id)

    def update(self, principal: Principal, id: int, patch: WebhookPatch) -> Webhook:
        """Change ``url``, ``events``, ``active`` or, for an organizer, the owning key
        ``api_key_id``. Re-enabling resets the failure count and resumes paused
        deliveries; disabling pauses pending ones.

        Raises:
            ValidationFailed: a URL the operator's networks refuse, or a bad owner;
                nothing is stored.
            Forbidden: a key without ``keys:manage`` asked to change the owner.
        """
        if not isinstance(patch.url, Unset):
            parse_webhook_url(patch.url, self._allow)
        now = self._now()
        resumed = False
        with self._uow() as stores:
            current = self._visible(stores, principal, id)
            owner = current.api_key_id
            if not isinstance(patch.api_key_id, Unset):
                key = stores.keys.get(patch.api_key_id)
                owner = check_new_owner(principal, current, key, now).id
            updated = apply_patch(current, patch, owner, now)
            if updated.active and not current.active:
                resumed = stores.deliveries.resume(id, now) > 0
            elif current.active and not updated.active:
                stores.deliveries.pause(id, now)
            if updated != current:
                stores.webhooks.save(updated)
        if resumed:
            self._outbox.committed()
        return updated

    def delete(self, principal: Principal, id: int) -> Webhook:
        """Remove the webhook and its delivery log."""
        with self._uow() as stores:
            webhook = self._visible(stores, principal, id)
            stores.webhooks.delete(id)
        return webhook

    def rotate_secret(
        self, principal: Principal, id: int, grace_seconds: int = DEFAULT_GRACE_SECONDS
    ) -> IssuedWebhook:
        """A new secret; the old one keeps signing (both signatures are sent) for
        ``grace_seconds`` (0 = stop now)."""
        grace = parse_grace_seconds(grace_seconds)
        secret = generate_secret(self._entropy.token_bytes)
        with self._uow() as stores:
            current = self._visible(stores, principal, id)
            rotated = current.rotated(secret, self._clock.now(), grace)
            stores.webhooks.save(rotated)
        return IssuedWebhook(rotated, secret)

    def send_test(self, principal: Principal, id: int) -> TestResult:
        """Send a ``webhook.test`` event now and return the attempt. It is kept in the
        delivery log but never retried and does not count towards disabling.

        A receiver that has not answered within the deadline (5 s) gets a failed
        attempt that says so; the send itself runs on, in its slot, until the sender's
        own timeout.

        Raises:
            Overloaded: too many test sends are running (nothing was stored).
        """
        now = self._now()
        with self._uow(write=False) as stores:
            webhook = self._visible(stores, principal, id)
        event = events.webhook_test(webhook.id, webhook.mode, now=now, choose=self._entropy.choice)
        new = NewDelivery(
            webhook_id=webhook.id,
            event_id=event.id,
            event=event.type,
            payload=event.body(),
            # NOTE: stored as failed (never claimable by a worker) until the attempt
            # below records its real outcome.
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            created_at=now,
        )
        # NOTE: the slot is taken before anything is stored: a refused test send (503)
        # leaves no delivery behind. The send runs on a thread of its own, so a slow
        # receiver holds this request thread for the deadline at most.
        reservation = self._send_now.reserve()
        try:
            with self._uow() as stores:
                delivery = stores.deliveries.add(new)
        except BaseException:
            reservation.cancel()
            raise
        sent = reservation.run(lambda: self._deliveries.send(webhook, delivery, 1))
        attempt = self._timed_out(now) if sent is None else sent[0]
        succeeded = classify(attempt.status_code) is Outcome.SUCCESS
        status = DeliveryStatus.SUCCEEDED if succeeded else DeliveryStatus.FAILED
        with self._uow() as stores:
            stores.deliveries.record(
                delivery.id, attempt, status=status, next_attempt_at=None, now=self._clock.now()
            )
            recorded = stores.deliveries.get(delivery.id)
        return TestResult(recorded or delivery, attempt)

    def _timed_out(self, started: datetime) -> Attempt:
        seconds = self._send_now.deadline
        return Attempt(
            attempt=1,
            status_code=None,
            duration_ms=int(seconds * 1000),
            error=f"timed out: no answer within {seconds:g} s (test sends wait no longer)",
            response_snippet=None,
            attempted_at=started,
        )

    def deliveries(
        self, principal: Principal, id: int, *, limit: int, cursor: str | None
    ) -> Page[Delivery]:
        """The webhook's delivery log with every attempt, newest first."""
        before = decode_cursor(cursor)
        with self._uow(write=False) as stores:
            self._visible(stores, principal, id)
            rows = stores.deliveries.list(id, limit=limit + 1, before=before)
        return page_of(rows, limit, lambda d: d.id)

    def redeliver(self, principal: Principal, delivery_id: int) -> Delivery:
        """Queue one more attempt now, with the same ``webhook-id``.

        Raises:
            Conflict: the webhook is disabled, the delivery is being attempted now, or
                it was cancelled by an erasure.
        """
        now = self._now()
        with self._uow() as stores:
            delivery = stores.deliveries.get(delivery_id)
            if delivery is None:
                raise NotFound(f"no delivery {delivery_id}")
            try:
                self._visible(stores, principal, delivery.webhook_id, active=True)
            except NotFound:
                raise NotFound(f"no delivery {delivery_id}") from None
            if delivery.status is DeliveryStatus.IN_FLIGHT:
                raise Conflict(f"delivery {delivery_id} is being attempted now")
            if delivery.status is DeliveryStatus.CANCELLED:
                raise Conflict(f"delivery {delivery_id} was cancelled: its submission was erased")
            stores.deliveries.reschedule(
                delivery_id, status=DeliveryStatus.PENDING, next_attempt_at=now, now=now
            )
            queued = stores.deliveries.get(delivery_id)
        self._outbox.committed()
        assert queued is not None
        return queued

    def recover(self, principal: Principal | None, id: int, request: RecoveryRequest) -> Recovery:
        """Queue again, due now, every delivery to the webhook given up (``failed``)
        within the ``request``'s window (see ``connect.domain.recovery``), keeping each event
        id. Deliveries still being retried keep their schedule. ``principal=None`` is a
        trusted local caller (the CLI): any webhook of either mode.

        Raises:
            ValidationFailed: a bad window (422); nothing is queued.
            Conflict: the webhook is disabled; re-enable it first (its kept deliveries
                resume then).
        """
        now = self._now()
        window = recovery_window(request, now)
        with self._uow() as stores:
            self._visible(stores, principal, id, active=True)
            count = stores.deliveries.recover(
                id, window.since, window.until, now, skip=NEVER_RECOVERED
            )
        if count:
            self._outbox.committed()
        return Recovery(webhook_id=id, window=window, recovered=count)
