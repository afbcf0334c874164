"""The bodies that register, change and recover a webhook."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from attrs import Attribute, field, frozen

from connect.domain.errors import ValidationFailed
from connect.domain.events import SUBSCRIBABLE, EventType
from connect.domain.recovery import MAX_AGE, instant
from connect.domain.requests.rules import FLAG, UNSET, Unset, rule
from connect.domain.shapes import describe
from connect.domain.urls import MAX_URL, parse_networks, parse_webhook_url
from connect.domain.webhooks import parse_events

# NOTE: a shape checks what a URL is; which networks it may point at is the operator's
# setting (CONNECT_WEBHOOK_ALLOW_NETWORKS), checked by the service.
_ANY_NETWORK = parse_networks(["0.0.0.0/0", "::/0"])
# What a webhook's url and events mean and their limits, once: for the bodies and
# the webhook document alike.
WEBHOOK_URL: Final = describe(
    "Where events are POSTed: https; no user info; not a localhost, loopback, private, "
    "link-local, CGNAT, multicast or reserved address.",
    example="https://bot.example.org/connect/hooks",
    format="uri",
    maxLength=MAX_URL,
)
WEBHOOK_EVENTS: Final = describe(
    "The event types it is sent; at least one.",
    example=["submission.created", "talk.scheduled"],
    items={"type": "string", "enum": sorted(e.value for e in SUBSCRIBABLE)},
    minItems=1,
)

# NOTE: a body may name a type twice and the set keeps it once: its array need not be
# unique (an answer's is).
_EVENTS_GIVEN: Final = {**WEBHOOK_EVENTS, "json_type": list[EventType]}


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

    url: str = field(converter=URL, metadata=WEBHOOK_URL)
    events: frozenset[EventType] = field(converter=EVENTS, metadata=_EVENTS_GIVEN)


@frozen
class WebhookPatch:
    """A change to a webhook: only the members given change (an empty body changes
    nothing)."""

    url: str | Unset = field(default=UNSET, converter=URL, metadata=WEBHOOK_URL)
    events: frozenset[EventType] | Unset = field(
        default=UNSET, converter=EVENTS, metadata=_EVENTS_GIVEN
    )
    active: bool | Unset = field(
        default=UNSET,
        converter=FLAG,
        metadata=describe(
            "false pauses deliveries; true resumes them (a disabled webhook too) and resets "
            "failure_count.",
            example=True,
        ),
    )
    api_key_id: int | Unset = field(
        default=UNSET,
        converter=rule(_owner),
        metadata=describe(
            "Organizers (keys:manage) only: move the webhook to another usable key of its "
            "mode that holds webhooks:manage (for example after its owner was revoked, "
            "disabled_reason owner_revoked).",
            example=7,
            minimum=1,
            maximum=2**63 - 1,
        ),
    )


@frozen
class RecoveryRequest:
    """A recovery window: deliveries given up in it are queued again (the rules:
    ``connect.domain.recovery``).

    ``until`` defaults to now.
    """

    since: datetime = field(
        converter=END,
        metadata=describe(
            "The start of the window: an ISO 8601 date (midnight UTC) or datetime, at most "
            f"{MAX_AGE.days} days ago.",
            example="2026-02-06T09:00:00Z",
            json_type=str,
        ),
    )
    until: datetime | None = field(
        default=None,
        converter=END,
        metadata=describe(
            "The end of the window (included), as since; now when left out.",
            example="2026-02-06T13:00:00Z",
            json_type=str | None,
        ),
    )
