"""JSON Schemas of events, generated from the domain's body shapes (the classes that
build the signed bytes), with the event feed's page and the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from attrs import field, frozen

from connect.adapters.http.openapi.documents import WALKER
from connect.adapters.http.openapi.event_catalog import EventTypeList
from connect.adapters.http.openapi.json_schema import Schema, ref
from connect.adapters.http.openapi.walker import Walker
from connect.domain import events as ev
from connect.domain import operational as op
from connect.domain.deliveries import DeliveryStatus
from connect.domain.event_kinds import KINDS
from connect.domain.events import EventType
from connect.domain.feed import FEED_TYPES
from connect.domain.shapes import describe, plain
from connect.domain.submissions import Submission


@frozen
class EventPage:
    """A page of the event feed (GET /api/v1/events)."""

    data: tuple[ev.SubmissionEventBody | ev.SubmissionDeletedBody, ...] = field(
        metadata=describe(
            "Oldest first. Each item is the exact body a webhook of its type carries (one "
            f"of: {', '.join(t.value for t in EventType if t in FEED_TYPES)})."
        )
    )
    next_cursor: str | None = field(
        metadata=describe(
            "Pass as ?after= next time; null only when the feed of this mode is empty. "
            "Keep it even when data is empty."
        )
    )
    has_more: bool = field(metadata=describe("true: more events already wait after next_cursor."))


#: Each event body shape, the shapes they share and the feed's answers, by component name.
NAMES: Final[Mapping[type, str]] = {
    ev.SubmissionEventBody: "Event",
    ev.SubmissionDeletedBody: "SubmissionDeletedEvent",
    ev.ErasedSubmission: "ErasedSubmission",
    op.OperationalEventBody: "OperationalEvent",
    # NOTE: named, so that the data with and without the reason refer to them.
    op.WebhookHealth: "OperationalWebhook",
    op.DeliveryTried: "OperationalDelivery",
    op.AttemptMade: "OperationalAttempt",
    EventPage: "EventPage",
    EventTypeList: "EventTypeList",
}
_AT: Final = datetime(2026, 11, 26, 10, 0, 5, tzinfo=UTC)
_SENT: Final = "evt_8Hq2LmZ0pR4sT6vW1xY3aB5c"
_EXAMPLES: Final[Mapping[str, Any]] = {
    "Event": {
        **plain(
            ev.EventBody(
                _SENT, EventType.SUBMISSION_CREATED, datetime(2026, 11, 25, 18, 6, tzinfo=UTC)
            )
        ),
        # NOTE: made of the Submission fields' examples, as its component's example is.
        "data": WALKER.example(ref("Submission")),
    },
    "SubmissionDeletedEvent": plain(
        ev.SubmissionDeletedBody(
            "evt_3kLm9QpR2sT4vW6xY8zA0bC1",
            EventType.SUBMISSION_DELETED,
            datetime(2026, 11, 26, 9, 12, tzinfo=UTC),
            ev.ErasedSubmission(42),
        )
    ),
    "ErasedSubmission": plain(ev.ErasedSubmission(42)),
    "OperationalEvent": plain(
        op.OperationalEventBody(
            "evt_5nPq7RsT9uV1wX3yZ5aB7cD9",
            EventType.WEBHOOK_FAILING,
            _AT,
            op.OperationalData(
                op.WebhookHealth(3, "https://hooks.example.org/connect", True, 5, None, None),
                op.DeliveryTried(
                    118, EventType.SUBMISSION_CREATED, _SENT, DeliveryStatus.FAILED, 5
                ),
                op.AttemptMade(5, 503, None, 212, _AT),
            ),
        )
    ),
}


def body_name(event: EventType) -> str:
    """The component schema of the body of ``event``."""
    return NAMES[KINDS[event].body]


def event_schemas() -> dict[str, Schema]:
    # NOTE: Submission is a component of its own (schemas.py): only referred to here.
    walker = Walker({**NAMES, Submission: "Submission"})
    schemas = {name: walker.shape(shape) for shape, name in NAMES.items()}
    for name, example in _EXAMPLES.items():
        schemas[name]["examples"] = [example]
    for body in {kind.body for kind in KINDS.values()}:
        types = [e.value for e in EventType if KINDS[e].body is body]
        schemas[NAMES[body]]["properties"]["event"] = (
            {"const": types[0]} if len(types) == 1 else {"type": "string", "enum": types}
        )
    return schemas
