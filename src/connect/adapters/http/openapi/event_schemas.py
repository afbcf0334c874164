"""JSON Schemas of events: the webhook bodies, generated from the domain's body shapes
(the classes that build the signed bytes), the event feed's page and the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from connect.adapters.http.openapi.examples import SUBMISSION_EXAMPLE
from connect.adapters.http.openapi.json_schema import Schema, ref
from connect.adapters.http.openapi.walker import Walker
from connect.domain.deliveries import DeliveryStatus
from connect.domain.event_kinds import KINDS
from connect.domain.events import (
    ErasedSubmission,
    EventBody,
    EventType,
    SubmissionDeletedBody,
    SubmissionEventBody,
)
from connect.domain.feed import FEED_TYPES
from connect.domain.operational import (
    AttemptMade,
    DeliveryTried,
    OperationalData,
    OperationalEventBody,
    WebhookHealth,
)
from connect.domain.shapes import plain
from connect.domain.submissions import Submission

#: Each event body shape, and the shapes they share, by component name.
NAMES: Final[Mapping[type, str]] = {
    SubmissionEventBody: "Event",
    SubmissionDeletedBody: "SubmissionDeletedEvent",
    ErasedSubmission: "ErasedSubmission",
    OperationalEventBody: "OperationalEvent",
    # NOTE: named, so that the two kinds of operational data (with and without the
    # reason) refer to them instead of repeating them.
    WebhookHealth: "OperationalWebhook",
    DeliveryTried: "OperationalDelivery",
    AttemptMade: "OperationalAttempt",
}
_AT: Final = datetime(2026, 11, 25, 18, 6, tzinfo=UTC)
_LATER: Final = datetime(2026, 11, 26, 10, 0, 5, tzinfo=UTC)
_SENT: Final = "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c"
_PARTS: Final = (
    WebhookHealth(3, "https://hooks.example.org/connect", True, 5, None, None),
    DeliveryTried(118, EventType.SUBMISSION_CREATED, _SENT, DeliveryStatus.FAILED, 5),
    AttemptMade(5, 503, None, 212, _LATER),
)
_EXAMPLES: Final[Mapping[str, Any]] = {
    "Event": {
        **plain(EventBody(_SENT, EventType.SUBMISSION_CREATED, _AT)),
        "data": SUBMISSION_EXAMPLE,
    },
    "SubmissionDeletedEvent": plain(
        SubmissionDeletedBody(
            "evt_3kLm9QpR2sT4vW6xY8zA0bC1",
            EventType.SUBMISSION_DELETED,
            datetime(2026, 11, 26, 9, 12, tzinfo=UTC),
            ErasedSubmission(42),
        )
    ),
    "ErasedSubmission": plain(ErasedSubmission(42)),
    "OperationalEvent": plain(
        OperationalEventBody(
            "evt_5nPq7RsT9uV1wX3yZ5aB7cD9",
            EventType.WEBHOOK_FAILING,
            _LATER,
            OperationalData(*_PARTS),
        )
    ),
    **{NAMES[type(part)]: plain(part) for part in _PARTS},
}


def body_name(event: EventType) -> str:
    """The component schema of the body of ``event``."""
    return NAMES[KINDS[event].body]


def _bodies() -> dict[str, Schema]:
    # NOTE: Submission is a component of its own (schemas.py): only referred to here.
    walker = Walker({**NAMES, Submission: "Submission"})
    schemas = {name: walker.shape(shape) for shape, name in NAMES.items()}
    for name, schema in schemas.items():
        schema["examples"] = [_EXAMPLES[name]]
        types = [e.value for e in EventType if NAMES.get(KINDS[e].body) == name]
        if types:
            schema["properties"]["event"] = (
                {"const": types[0]} if len(types) == 1 else {"type": "string", "enum": types}
            )
    return schemas


def _feed_schemas() -> dict[str, Schema]:
    feed_types = [t.value for t in EventType if t in FEED_TYPES]
    return {
        "EventPage": {
            "type": "object",
            "required": ["data", "next_cursor", "has_more"],
            "properties": {
                "data": {
                    "type": "array",
                    "description": "Oldest first. Each item is the exact body a webhook of "
                    f"its type carries (one of: {', '.join(feed_types)}).",
                    "items": {"anyOf": [ref("Event"), ref("SubmissionDeletedEvent")]},
                },
                "next_cursor": {
                    "type": ["string", "null"],
                    "description": "Pass as ?after= next time; null only when the feed "
                    "of this mode is empty. Keep it even when data is empty.",
                },
                "has_more": {
                    "type": "boolean",
                    "description": "true: more events already wait after next_cursor.",
                },
            },
        },
        "EventTypeList": {
            "type": "object",
            "required": ["data", "next_cursor"],
            "properties": {
                "data": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": [
                            "type",
                            "description",
                            "subscribable",
                            "in_feed",
                            "schema",
                            "example",
                        ],
                        "properties": {
                            "type": {"type": "string", "enum": [t.value for t in EventType]},
                            "description": {"type": "string"},
                            "subscribable": {
                                "type": "boolean",
                                "description": "A webhook may subscribe to it.",
                            },
                            "in_feed": {"type": "boolean", "description": "/api/v1/events has it."},
                            "schema": {
                                "type": "object",
                                "description": "The body's JSON Schema (2020-12), standalone: "
                                "the same schema this document's webhooks section uses.",
                            },
                            "example": {"type": "object"},
                        },
                    },
                },
                "next_cursor": {"type": "null"},
            },
        },
    }


def event_schemas() -> dict[str, Schema]:
    return {**_bodies(), **_feed_schemas()}
