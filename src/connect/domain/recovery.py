"""Bulk recovery: after an outage, queue again every delivery to one endpoint that was
given up, within a window of time.

A delivery is recovered when its status is ``failed`` (its last attempt failed: the
retry schedule ran out) and it was created (its event happened) within the window,
both ends included. Test sends (``webhook.test``) are never recovered. A recovered
delivery is ``pending`` and due now, with the same event id and body; a second call
right away finds nothing new to recover.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from attrs import frozen

from connect.domain.errors import FieldError, ValidationFailed
from connect.domain.events import EventType
from connect.domain.fields import unknown_fields
from connect.domain.time import parse_since, truncate_to_second

RECOVER_FIELDS: Final = frozenset({"since", "until"})
MAX_AGE: Final = timedelta(days=14)
NEVER_RECOVERED: Final = frozenset({EventType.WEBHOOK_TEST})


@frozen
class RecoveryWindow:
    """From ``since`` to ``until``, both included, to the second."""

    since: datetime
    until: datetime

    def holds(self, moment: datetime) -> bool:
        return self.since <= moment <= self.until


@frozen
class Recovery:
    """What one recovery did: ``recovered`` deliveries of the webhook queued again."""

    webhook_id: int
    window: RecoveryWindow
    recovered: int


def parse_window(fields: Mapping[str, Any], now: datetime) -> RecoveryWindow:
    """``{"since": ..., "until": ...}``: ISO dates or datetimes; ``until`` defaults to
    ``now``.

    Raises:
        ValidationFailed: an unknown field, ``since`` missing, either not a time,
            ``since`` not before ``until``, or ``since`` more than 14 days before
            ``now``.
    """
    problems = unknown_fields(fields, RECOVER_FIELDS)
    since = _instant(fields, "since", problems)
    until = _instant(fields, "until", problems) if "until" in fields else None
    if "since" not in fields:
        problems.append(FieldError("since", "is required: the start of the window"))
    if problems or since is None:
        raise ValidationFailed(problems)
    end = until if until is not None else truncate_to_second(now)
    if since < truncate_to_second(now - MAX_AGE):
        problems.append(
            FieldError(
                "since",
                f"must be at most {MAX_AGE.days} days ago (deliveries older "
                "than that are not recovered)",
            )
        )
    if since >= end:
        problems.append(
            FieldError(
                "until" if until is not None else "since", "the window must end after it starts"
            )
        )
    if problems:
        raise ValidationFailed(problems)
    return RecoveryWindow(since, end)


def _instant(fields: Mapping[str, Any], name: str, problems: list[FieldError]) -> datetime | None:
    value = fields.get(name)
    if name not in fields:
        return None
    if not isinstance(value, str):
        problems.append(FieldError(name, "must be an ISO 8601 date or datetime string"))
        return None
    try:
        return truncate_to_second(parse_since(value, name))
    except ValidationFailed as e:
        problems.extend(e.errors)
        return None
