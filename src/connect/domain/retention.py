"""How long personal data is kept, and what is past it.

Speakers' names and talk descriptions are copied into event bodies (the feed, each
delivery's payload) and may come back in receivers' answers (attempt snippets). Those
copies are kept ``days`` days; the audit log (route templates, never values) as long.
Storage adapters decide with these functions, so every adapter purges the same rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from attrs import frozen

from connect.domain.deliveries import DeliveryStatus

DEFAULT_DAYS: Final = 30

#: Deliveries nobody will attempt again (``cancelled``: its submission was erased).
FINISHED: Final = frozenset(
    {DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED}
)


def cutoff(now: datetime, days: int) -> datetime:
    """Anything last touched before this is past retention.

    Raises:
        ValueError: ``days`` is below 1.
    """
    if days < 1:
        raise ValueError(f"retention must be at least 1 day, got {days}")
    return now - timedelta(days=days)


def expired(moment: datetime, limit: datetime) -> bool:
    """Whether something last touched at ``moment`` is past the ``limit`` (a moment
    exactly at the limit is still kept)."""
    return moment < limit


def delivery_expired(status: DeliveryStatus, updated_at: datetime, limit: datetime) -> bool:
    """A delivery goes, with its attempts, once finished and past retention; one still
    to be attempted is kept whatever its age (its payload is still needed)."""
    return status in FINISHED and expired(updated_at, limit)


def event_expired(timestamp: datetime, limit: datetime, delivery_kept: bool) -> bool:
    """An event leaves the feed once past retention and no delivery of it is kept: the
    feed keeps an event as long as any webhook may still receive it."""
    return expired(timestamp, limit) and not delivery_kept


@frozen
class Census:
    """What storage holds of personal data and the audit log.

    Attributes:
        bytes: the storage's size in use (``None`` where it has no file).
    """

    events: int
    deliveries: int
    snippets: int
    audit_entries: int
    bytes: int | None = None


@frozen
class Purged:
    """What a purge removed (or, in a dry run, would remove)."""

    events: int = 0
    deliveries: int = 0
    snippets: int = 0
    audit_entries: int = 0

    @property
    def total(self) -> int:
        return self.events + self.deliveries + self.snippets + self.audit_entries


@frozen
class Erased:
    """What erasing one submission changed.

    Attributes:
        events: feed events whose body was scrubbed.
        payloads: delivery payloads scrubbed.
        cancelled: deliveries that were still to be attempted, now ``cancelled``.
        snippets: attempt response snippets cleared.
    """

    events: int = 0
    payloads: int = 0
    cancelled: int = 0
    snippets: int = 0
