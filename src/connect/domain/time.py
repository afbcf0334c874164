"""Instants on the wire: UTC, ISO 8601, second precision, with a ``Z``."""

from __future__ import annotations

from datetime import UTC, date, datetime

from connect.domain.errors import ValidationFailed


def format_instant(moment: datetime) -> str:
    """``2026-02-06T13:57:40Z``: the one spelling of a time Connect emits."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a naive one is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_since(text: str, field: str = "since") -> datetime:
    """A ``since`` filter: an ISO date (midnight UTC) or an ISO datetime.

    Raises:
        ValidationFailed: the text is neither.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return parse_instant(text)
    except ValueError:
        raise ValidationFailed.single(
            field, "must be an ISO 8601 date (2026-02-06) or datetime (2026-02-06T13:57:40Z)"
        ) from None


def truncate_to_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)
