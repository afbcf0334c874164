"""The bodies that register, change and recover a webhook."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from attrs import Attribute, field, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.events import EventType
from connect.domain.recovery import instant
from connect.domain.requests.rules import FLAG, UNSET, Unset, rule
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


def webhook_url(value: object) -> str:
    """A trimmed https URL that breaks no rule but perhaps the allowed networks."""
    parse_webhook_url(value, _ANY_NETWORK)
    assert isinstance(value, str)
    return value.strip()


def _owner(value: object, field: Attribute[Any]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise ValidationFailed.single(field.name, "must be the id of an API key")
    return value


URL: Final = rule(lambda value, _: webhook_url(value))
EVENTS: Final = rule(lambda value, _: parse_events(value))
# NOTE: a window's ends as ``connect.domain.recovery`` reads them; ``until`` may be null.
END: Final = rule(
    lambda value, f: None if value is None and f.default is None else instant(f.name, value)
)


@frozen
class WebhookRegistration:
    """A new webhook: where to send, and which events."""

    url: str = field(converter=URL, metadata=_URL)
    events: frozenset[EventType] = field(converter=EVENTS, metadata=_EVENTS)


@frozen
class WebhookPatch:
    """A change to a webhook; a field left out stays as it is (``UNSET``)."""

    url: str | Unset = field(default=UNSET, converter=URL, metadata=_URL)
    events: frozenset[EventType] | Unset = field(default=UNSET, converter=EVENTS, metadata=_EVENTS)
    active: bool | Unset = field(
        default=UNSET,
        converter=FLAG,
        metadata=describe("false pauses deliveries; true resumes them.", example=True),
    )
    api_key_id: int | Unset = field(
        default=UNSET,
        converter=rule(_owner),
        metadata=describe(
            "The owning key's id (organizers only).", example=2, minimum=1, maximum=2**63 - 1
        ),
    )


@frozen
class RecoveryRequest:
    """A recovery window: ``until`` defaults to now (see ``connect.domain.recovery``)."""

    since: datetime = field(
        converter=END,
        metadata=describe(
            "The start of the window: an ISO 8601 date or datetime, at most 14 days ago.",
            example="2026-02-06T13:00:00Z",
        ),
    )
    until: datetime | None = field(
        default=None,
        converter=END,
        metadata=describe(
            "The end of the window (included); now when left out.",
            example="2026-02-06T15:00:00Z",
        ),
    )
