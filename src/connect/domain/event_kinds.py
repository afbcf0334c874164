"""Every event type once: what it means and the shape of its body. The OpenAPI
``webhooks`` section, its component schemas and ``GET /api/v1/event-types`` read it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from attrs import frozen

from connect.domain.events import (
    EventBody,
    EventType,
    SubmissionDeletedBody,
    SubmissionEventBody,
)
from connect.domain.operational import FAILING_AFTER, OperationalEventBody
from connect.domain.webhooks import DISABLE_AFTER


@frozen
class Kind:
    """One event type: its body's shape, and a sentence saying when it is sent."""

    body: type[EventBody]
    description: str


_ABOUT_SUBMISSIONS: Final = {
    EventType.SUBMISSION_CREATED: "A submission was stored (API or speakers' form).",
    EventType.SUBMISSION_UPDATED: "A submission changed (a PATCH that changed something).",
    EventType.TALK_SCHEDULED: "A talk got a date, or its date moved.",
    EventType.WEBHOOK_TEST: "Sent by POST /api/v1/webhooks/{id}/test; data is a sample.",
}
_OPERATIONAL: Final = {
    EventType.WEBHOOK_DISABLED: f"Operational: a webhook was disabled ({DISABLE_AFTER} "
    "consecutive failures or 410 Gone); data.reason says which.",
    EventType.WEBHOOK_FAILING: f"Operational: a webhook's {FAILING_AFTER}th consecutive "
    "attempt failed.",
    EventType.WEBHOOK_RECOVERED: "Operational: the first success after webhook.failing.",
    EventType.DELIVERY_EXHAUSTED: "Operational: a delivery's last attempt failed; it will not "
    "be retried (POST /api/v1/webhooks/{id}/recover queues it again).",
}
KINDS: Final[Mapping[EventType, Kind]] = {
    **{event: Kind(SubmissionEventBody, text) for event, text in _ABOUT_SUBMISSIONS.items()},
    EventType.SUBMISSION_DELETED: Kind(
        SubmissionDeletedBody,
        "A submission was erased (DELETE /api/v1/submissions/{id}); data is its id alone.",
    ),
    **{event: Kind(OperationalEventBody, text) for event, text in _OPERATIONAL.items()},
}
