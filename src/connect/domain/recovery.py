"""Bulk recovery: after an outage, queue again every delivery to one endpoint that was
given up, within a window of time.

A delivery is recovered when its status is ``failed`` (its last attempt failed: the
retry schedule ran out) and it was created (its event happened) within the window,
both ends included. Test sends (``webhook.test``) are never recovered. A recovered
delivery is ``pending`` and due now, with the same event id and body; a second call
right away finds nothing new to recover.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from attrs import frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.events import EventType
from connect.domain.time import parse_since, truncate_to_second

if TYPE_CHECKING:
    from connect.domain.requests.webhooks import RecoveryRequest

MAX_AGE: Final = timedelta(days=14)
NEVER_RECOVERED: Final = frozenset({EventType.WEBHOOK_TEST})


@frozen
class RecoveryWindow:
    """From ``since`` to ``until``, both included, to the second."""

    since: datetime
    until: datetime


@frozen
class Recovery:
    """What one recovery did: ``recovered`` deliveries of the webhook queued again."""

    webhook_id: int
    window: RecoveryWindow
    recovered: int


def window(request: RecoveryRequest, now: datetime) -> RecoveryWindow:
    """The window a request asks for; ``until`` defaults to ``now``.

    Raises:
        ValidationFailed: ``since`` not before ``until``, or ``since`` more than 14 days
            before ``now``.
    """
    problems: list[FieldError] = []
    end = request.until if request.until is not None else truncate_to_second(now)
    if request.since < truncate_to_second(now - MAX_AGE):
        problems.append(
            FieldError(
                "since",
                f"must be at most {MAX_AGE.days} days ago (deliveries older "
                "than that are not recovered)",
            )
        )
    if request.since >= end:
        field = "until" if request.until is not None else "since"
        problems.append(FieldError(field, "the window must end after it starts"))
    if problems:
        raise ValidationFailed(problems)
    return RecoveryWindow(request.since, end)


def instant(field: str, value: object) -> datetime:
    """The rule of a window's end: an ISO 8601 date or datetime, to the second."""
    if isinstance(value, datetime):
        return value
    if value is None:
        raise ValidationFailed.single(field, "is required: the start of the window")
    if not isinstance(value, str):
        raise ValidationFailed.single(field, "must be an ISO 8601 date or datetime string")
    return truncate_to_second(parse_since(value, field))
