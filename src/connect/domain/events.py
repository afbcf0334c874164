"""Domain events: what happened to a submission, ready to be delivered."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from attrs import frozen

from connect.domain.keys import ALPHABET
from connect.domain.mode import Mode
from connect.domain.representation import submission_document
from connect.domain.submissions import Change, Submission
from connect.domain.time import format_instant


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
SUBSCRIBABLE = (
    frozenset(
        {
            EventType.SUBMISSION_CREATED,
            EventType.SUBMISSION_UPDATED,
            EventType.TALK_SCHEDULED,
            EventType.SUBMISSION_DELETED,
        }
    )
    | OPERATIONAL
)


@frozen
class Subject:
    """The webhook an operational event is about, and the key that owns it: who may
    hear of it is decided from these (``connect.domain.access.hears_about``)."""

    webhook_id: int
    api_key_id: int | None


@frozen
class Event:
    """One event. ``body()`` is the exact JSON that is signed and delivered; ``subject``
    is set on operational events only."""

    id: str
    type: EventType
    timestamp: datetime
    mode: Mode
    data: dict[str, Any]
    # NOTE: not part of the body; it routes an operational event (see Subject).
    subject: Subject | None = None

    def body(self) -> bytes:
        document = {
            "id": self.id,
            "event": self.type.value,
            "timestamp": format_instant(self.timestamp),
            "data": self.data,
        }
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def new_event_id(choose: Callable[[str], str]) -> str:
    return "evt_" + "".join(choose(ALPHABET) for _ in range(24))


def submission_created(
    submission: Submission, *, now: datetime, choose: Callable[[str], str]
) -> list[Event]:
    return [_event(EventType.SUBMISSION_CREATED, submission, now, choose)]


def submission_changed(
    change: Change, *, now: datetime, choose: Callable[[str], str]
) -> list[Event]:
    """``submission.updated`` for any change, plus ``talk.scheduled`` when a date was
    set or moved. A patch that changed nothing produces no event."""
    if not change.changed:
        return []
    events = [_event(EventType.SUBMISSION_UPDATED, change.submission, now, choose)]
    if change.scheduled:
        events.append(_event(EventType.TALK_SCHEDULED, change.submission, now, choose))
    return events


def submission_deleted(
    submission: Submission, *, now: datetime, choose: Callable[[str], str]
) -> list[Event]:
    """``submission.deleted`` after an erasure: its data is the id alone, since the
    rest was personal data that is now gone."""
    return [
        Event(
            id=new_event_id(choose),
            type=EventType.SUBMISSION_DELETED,
            timestamp=now,
            mode=submission.mode,
            data={"id": submission.id},
        )
    ]


def _event(
    kind: EventType, submission: Submission, now: datetime, choose: Callable[[str], str]
) -> Event:
    return Event(
        id=new_event_id(choose),
        type=kind,
        timestamp=now,
        mode=submission.mode,
        data=submission_document(submission),
    )
