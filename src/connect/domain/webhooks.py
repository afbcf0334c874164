"""Webhook endpoints: where events go, and whether they are healthy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from attrs import asdict, evolve, field, frozen

from connect.domain.events import SUBSCRIBABLE, EventType
from connect.domain.mode import Mode
from connect.domain.requests.rules import Unset, parse_names
from connect.domain.retry import Outcome

if TYPE_CHECKING:
    from connect.domain.requests.webhooks import WebhookPatch

DISABLE_AFTER: Final = 10
REASON_FAILURES: Final = f"{DISABLE_AFTER} consecutive failed attempts"
REASON_GONE: Final = "the endpoint answered 410 Gone"
REASON_MANUAL: Final = "disabled through the API"
# NOTE: the key that registered it was revoked; an organizer can move the webhook to
# another key or re-enable it.
REASON_OWNER_REVOKED: Final = "owner_revoked"


@frozen
class NewWebhook:
    """A webhook as it is registered, before storage numbers it."""

    url: str
    events: frozenset[EventType]
    secret: str
    api_key_id: int | None
    mode: Mode
    created_at: datetime


@frozen
class Webhook(NewWebhook):
    """A registered endpoint. ``secret`` signs; ``previous_secret`` also signs until
    ``previous_secret_expires_at`` (a rotation's grace period)."""

    id: int = field(kw_only=True)
    active: bool = True
    failure_count: int = 0
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None

    @classmethod
    def from_new(cls, new: NewWebhook, id: int) -> Webhook:
        return cls(id=id, **asdict(new, recurse=False))

    def active_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign now: the current one, then the previous one while its
        grace period lasts."""
        secrets = [self.secret]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and now < expires:
            secrets.append(self.previous_secret)
        return secrets

    def after_attempt(self, outcome: Outcome, now: datetime) -> Webhook:
        """Endpoint health after one attempt: success resets the count; the tenth
        consecutive failure, or a ``410 Gone``, disables the endpoint."""
        if outcome is Outcome.SUCCESS:
            return evolve(self, failure_count=0)
        failed = evolve(self, failure_count=self.failure_count + 1)
        if self.active and outcome is Outcome.GONE:
            return failed.disabled(REASON_GONE, now)
        if self.active and failed.failure_count >= DISABLE_AFTER:
            return failed.disabled(REASON_FAILURES, now)
        return failed

    def disabled(self, reason: str, now: datetime, failure_count: int | None = None) -> Webhook:
        count = self.failure_count if failure_count is None else failure_count
        return evolve(
            self, active=False, disabled_reason=reason, disabled_at=now, failure_count=count
        )

    def enabled(self) -> Webhook:
        """Re-enabled: active again, with a fresh failure count."""
        return evolve(self, active=True, failure_count=0, disabled_reason=None, disabled_at=None)

    def rotated(self, secret: str, now: datetime, grace_seconds: int) -> Webhook:
        graced = grace_seconds > 0
        return evolve(
            self,
            secret=secret,
            previous_secret=self.secret if graced else None,
            previous_secret_expires_at=now + timedelta(seconds=grace_seconds) if graced else None,
        )


def parse_events(values: object, field: str = "events") -> frozenset[EventType]:
    """A non-empty list of subscribable event names (``parse_names``)."""
    return parse_names(values, field, sorted(SUBSCRIBABLE), "event")


def apply_patch(current: Webhook, patch: WebhookPatch, owner: int | None, now: datetime) -> Webhook:
    """The webhook after a change of ``url``, ``events``, ``active`` or its ``owner``
    (already checked by ``connect.domain.access.check_new_owner``). Re-enabling starts
    a fresh failure count; disabling says it was done through the API."""
    updated = evolve(
        current,
        url=current.url if isinstance(patch.url, Unset) else patch.url,
        events=current.events if isinstance(patch.events, Unset) else patch.events,
        api_key_id=owner,
    )
    if patch.active is True and not current.active:
        return updated.enabled()
    if patch.active is False and current.active:
        return updated.disabled(REASON_MANUAL, now)
    return updated


def sorted_events(events: Iterable[EventType]) -> list[str]:
    return sorted(e.value for e in events)
