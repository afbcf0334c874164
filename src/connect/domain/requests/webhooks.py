"""The bodies that register, change and recover a webhook."""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.events import EventType
from connect.domain.recovery import instant
from connect.domain.requests.rules import UNSET, Unset, flag, unless_unset
from connect.domain.shapes import describe
from connect.domain.urls import MAX_URL, parse_networks, parse_webhook_url
from connect.domain.webhooks import parse_events

# NOTE: a shape checks what a URL is; which networks it may point at is the operator's
# setting (CONNECT_WEBHOOK_ALLOW_NETWORKS), checked by the service.
_ANY_NETWORK = parse_networks(["0.0.0.0/0", "::/0"])
_URL = describe(
    "Where events are POSTed: https, not a private or loopback address.",
    example="https://example.com/hooks/connect",
    format="uri",
    maxLength=MAX_URL,
    pattern="^https://",
)
_EVENTS = describe(
    "The event types to send; at least one.",
    example=["submission.created"],
    minItems=1,
    uniqueItems=True,
)


def _since(value: object) -> datetime:
    return instant("since", value)


def _until(value: object) -> datetime | None:
    return None if value is None else instant("until", value)


def webhook_url(value: object) -> str:
    """A trimmed https URL that breaks no rule but perhaps the allowed networks."""
    parse_webhook_url(value, _ANY_NETWORK)
    assert isinstance(value, str)
    return value.strip()


def _new_url(value: object) -> str | Unset:
    return unless_unset(webhook_url, value)


def _new_events(value: object) -> frozenset[EventType] | Unset:
    return unless_unset(parse_events, value)


def _new_active(value: object) -> bool | Unset:
    return value if value is UNSET else flag("active", value)


def _new_owner(value: object) -> int | Unset:
    return unless_unset(_owner, value)


def _owner(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise ValidationFailed.single("api_key_id", "must be the id of an API key")
    return value


@frozen
class WebhookRegistration:
    """A new webhook: where to send, and which events."""

    url: str = field(converter=webhook_url, metadata=_URL)
    events: frozenset[EventType] = field(converter=parse_events, metadata=_EVENTS)


@frozen
class WebhookPatch:
    """A change to a webhook; a field left out stays as it is (``UNSET``)."""

    url: str | Unset = field(default=UNSET, converter=_new_url, metadata=_URL)
    events: frozenset[EventType] | Unset = field(
        default=UNSET, converter=_new_events, metadata=_EVENTS
    )
    active: bool | Unset = field(
        default=UNSET,
        converter=_new_active,
        metadata=describe("false pauses deliveries; true resumes them.", example=True),
    )
    api_key_id: int | Unset = field(
        default=UNSET,
        converter=_new_owner,
        metadata=describe(
            "The owning key's id (organizers only).", example=2, minimum=1, maximum=2**63 - 1
        ),
    )


@frozen
class RecoveryRequest:
    """A recovery window: ``until`` defaults to now (see ``connect.domain.recovery``)."""

    since: datetime = field(
        converter=_since,
        metadata=describe(
            "The start of the window: an ISO 8601 date or datetime, at most 14 days ago.",
            example="2026-02-06T13:00:00Z",
        ),
    )
    until: datetime | None = field(
        default=None,
        converter=_until,
        metadata=describe(
            "The end of the window (included); now when left out.",
            example="2026-02-06T15:00:00Z",
        ),
    )
