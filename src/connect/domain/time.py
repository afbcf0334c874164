"""Instants on the wire: UTC, ISO 8601, second precision, with a ``Z``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from connect.domain.errors import ValidationFailed

EARLIEST: Final = datetime(1, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
RANGE_MESSAGE: Final = "must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z once in UTC"


class OutOfRange(ValueError):
    """An ISO 8601 instant whose UTC equivalent falls outside years 1 to 9999.

    ``9999-12-31T23:59:59-23:59`` parses, but has no UTC ``datetime``: Connect refuses
    it at the edge so every time it holds can be compared, stored and formatted.
    """


def format_instant(moment: datetime) -> str:
    """``2026-02-06T13:57:40Z``: the one spelling of a time Connect emits."""
    # NOTE: isoformat() is several times faster than strftime, and this runs for every
    # time of every row of every page.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")[:19] + "Z"


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC.

    Raises:
        OutOfRange: ISO 8601, but not between ``EARLIEST`` and ``LATEST`` in UTC.
        ValueError: not ISO 8601.
    """
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    if moment.tzinfo is UTC:
        return moment
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # NOTE: the one way a parsed instant can be out of range: its offset pushes it
        # past year 9999 or before year 1 (a naive or UTC one always fits).
        raise OutOfRange(text) from None


def parse_since(text: str, field: str = "since") -> datetime:
    """A ``since`` filter: an ISO date (midnight UTC) or an ISO datetime.

    Raises:
        ValidationFailed: the text is neither, or is out of range.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return parse_instant(text)
    except OutOfRange:
        raise ValidationFailed.single(field, RANGE_MESSAGE) from None
    except ValueError:
        raise ValidationFailed.single(
            field, "must be an ISO 8601 date (2026-02-06) or datetime (2026-02-06T13:57:40Z)"
        ) from None


def truncate_to_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)
