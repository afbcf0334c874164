"""Domain events: what happened to a submission, ready to be delivered.

An event's body is a shape (``EventBody`` and a ``data`` member): the same classes build
the signed bytes and, through the OpenAPI walker, document them.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from attrs import field, frozen

from connect.domain.keys import ALPHABET, Choose
from connect.domain.mode import Mode
from connect.domain.representation import submission_document
from connect.domain.shapes import describe, plain
from connect.domain.submissions import Change, Submission


class EventType(StrEnum):
    SUBMISSION_CREATED = "submission.created"
    SUBMISSION_UPDATED = "submission.updated"
    TALK_SCHEDULED = "talk.scheduled"
    WEBHOOK_TEST = "webhook.test"
    SUBMISSION_DELETED = "submission.deleted"
    # Operational events: Connect's own news about delivery health (docs/webhooks.md).
    WEBHOOK_DISABLED = "webhook.disabled"
    WEBHOOK_FAILING = "webhook.failing"
    WEBHOOK_RECOVERED = "webhook.recovered"
    DELIVERY_EXHAUSTED = "delivery.exhausted"


OPERATIONAL = frozenset(
    {
        EventType.WEBHOOK_DISABLED,
        EventType.WEBHOOK_FAILING,
        EventType.WEBHOOK_RECOVERED,
        EventType.DELIVERY_EXHAUSTED,
    }
)
# NOTE: webhook.test is a sample sent to one endpoint on request, never subscribed to.
SUBSCRIBABLE = frozenset(EventType) - {EventType.WEBHOOK_TEST}

EVENT_ID_PREFIX: Final = "evt_"
EVENT_ID_LENGTH: Final = 24
# NOTE: ALPHABET (string.digits + string.ascii_letters) as a character class.
EVENT_ID_PATTERN: Final = f"^{EVENT_ID_PREFIX}[0-9A-Za-z]{{{EVENT_ID_LENGTH}}}$"
TEST_MESSAGE: Final = "This is a test event from Connect."


@frozen
class EventBody:
    """What every event body starts with; each kind of event adds its ``data``."""

    id: str = field(
        metadata=describe(
            "The event id; the same on every retry and in the feed. Deduplicate on it.",
            example="evt_8Hq2LmZ0pR4sT6vW1xY3aB5c",
            pattern=EVENT_ID_PATTERN,
        )
    )
    event: EventType
    timestamp: datetime


@frozen
class ErasedSubmission:
    """What is left of an erased submission: its id."""

    id: int = field(metadata=describe("The erased submission's id.", example=42, minimum=1))


@frozen
class WebhookTest:
    """The sample a test send carries (POST /api/v1/webhooks/{id}/test)."""

    webhook_id: int = field(metadata=describe("The webhook it was sent to.", minimum=1))
    message: str


@frozen
class SubmissionEventBody(EventBody):
    """The body of every webhook request: the exact signed bytes."""

    data: Submission | ErasedSubmission | WebhookTest = field(
        metadata=describe(
            "The submission as it was when the event happened; its id alone once the "
            "submission was erased (a stored copy is scrubbed); a sample for webhook.test."
        )
    )


@frozen
class SubmissionDeletedBody(EventBody):
    """Sent after a submission was erased: data holds its id alone (the rest was
    personal data). Forget what you stored of it."""

    data: ErasedSubmission


@frozen
class Subject:
    """The webhook an operational event is about, and the key that owns it: who may
    hear of it is decided from these (``connect.domain.access.hears_about``)."""

    webhook_id: int
    api_key_id: int | None


@frozen
class Event:
    """One event. ``body()`` is the exact JSON that is signed and delivered; ``data``
    is its ``data`` member, JSON-ready (a shape's ``plain`` rendering); ``subject`` is
    set on operational events only."""

    id: str
    type: EventType
    timestamp: datetime
    mode: Mode
    data: dict[str, Any]
    # NOTE: not part of the body; it routes an operational event (see Subject).
    subject: Subject | None = None

    def body(self) -> bytes:
        document = plain(EventBody(self.id, self.type, self.timestamp))
        document["data"] = self.data
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def submission_created(submission: Submission, *, now: datetime, choose: Choose) -> list[Event]:
    return [_event(EventType.SUBMISSION_CREATED, submission, now, choose)]


def submission_changed(change: Change, *, now: datetime, choose: Choose) -> list[Event]:
    """``submission.updated`` for any change, plus ``talk.scheduled`` when a date was
    set or moved. A patch that changed nothing produces no event."""
    if not change.changed:
        return []
    events = [_event(EventType.SUBMISSION_UPDATED, change.submission, now, choose)]
    if change.scheduled:
        events.append(_event(EventType.TALK_SCHEDULED, change.submission, now, choose))
    return events


def submission_deleted(submission: Submission, *, now: datetime, choose: Choose) -> list[Event]:
    """``submission.deleted`` after an erasure: its data is the id alone, since the
    rest was personal data that is now gone."""
    erased = plain(ErasedSubmission(submission.id))
    return [new_event(EventType.SUBMISSION_DELETED, submission.mode, erased, now, choose)]


def webhook_test(webhook_id: int, mode: Mode, *, now: datetime, choose: Choose) -> Event:
    """``webhook.test``: a sample for one endpoint, not something that happened."""
    sample = plain(WebhookTest(webhook_id, TEST_MESSAGE))
    return new_event(EventType.WEBHOOK_TEST, mode, sample, now, choose)


def _event(kind: EventType, submission: Submission, now: datetime, choose: Choose) -> Event:
    # NOTE: submission_document is the Submission shape's own rendering (the fast one
    # exports use), not plain(): it leaves out the calendar's schedule_sequence.
    return new_event(kind, submission.mode, submission_document(submission), now, choose)


def new_event(
    kind: EventType,
    mode: Mode,
    data: dict[str, Any],
    now: datetime,
    choose: Choose,
    subject: Subject | None = None,
) -> Event:
    """An event of ``kind`` at ``now``, with a fresh id drawn with ``choose``."""
    drawn = "".join(choose(ALPHABET) for _ in range(EVENT_ID_LENGTH))
    return Event(EVENT_ID_PREFIX + drawn, kind, now, mode, data, subject)
