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
    """One event type: a sentence saying when it is sent, and its body's shape."""

    description: str
    body: type[EventBody]


KINDS: Final[Mapping[EventType, Kind]] = {
    EventType.SUBMISSION_CREATED: Kind(
        "A submission was stored (API or speakers' form).", SubmissionEventBody
    ),
    EventType.SUBMISSION_UPDATED: Kind(
        "A submission changed (a PATCH that changed something).", SubmissionEventBody
    ),
    EventType.TALK_SCHEDULED: Kind("A talk got a date, or its date moved.", SubmissionEventBody),
    EventType.WEBHOOK_TEST: Kind(
        "Sent by POST /api/v1/webhooks/{id}/test; data is a sample.", SubmissionEventBody
    ),
    EventType.SUBMISSION_DELETED: Kind(
        "A submission was erased (DELETE /api/v1/submissions/{id}); data is its id alone.",
        SubmissionDeletedBody,
    ),
    EventType.WEBHOOK_DISABLED: Kind(
        f"Operational: a webhook was disabled ({DISABLE_AFTER} consecutive failures or 410 "
        "Gone); data.reason says which.",
        OperationalEventBody,
    ),
    EventType.WEBHOOK_FAILING: Kind(
        f"Operational: a webhook's {FAILING_AFTER}th consecutive attempt failed.",
        OperationalEventBody,
    ),
    EventType.WEBHOOK_RECOVERED: Kind(
        "Operational: the first success after webhook.failing.", OperationalEventBody
    ),
    EventType.DELIVERY_EXHAUSTED: Kind(
        "Operational: a delivery's last attempt failed; it will not be retried "
        "(POST /api/v1/webhooks/{id}/recover queues it again).",
        OperationalEventBody,
    ),
}
