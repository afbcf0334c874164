"""Instants between Connect and ``timestamptz`` columns: second precision, UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Final

from connect.adapters.sql.dialect import Dialect


def stored(moment: datetime | None) -> datetime | None:
    """The instant as stored: whole seconds, like the ISO text every other store keeps.

    NOTE: a ``timestamptz`` keeps microseconds; SQLite stores ``format_instant`` text
    (seconds). Truncating here makes both read back the same value.
    """
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0)


def loaded(moment: datetime | None) -> datetime | None:
    """A ``timestamptz`` as read: with ``datetime.UTC`` as its zone (psycopg gives a
    ``ZoneInfo``), as the domain's fast paths expect."""
    if moment is None or moment.tzinfo is UTC:
        return moment
    return moment.astimezone(UTC)


def loaded_at(moment: datetime) -> datetime:
    """``loaded`` of a column that is never NULL."""
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def _as_is(value: date | None) -> date | None:
    return value


POSTGRES: Final = Dialect(
    mark="%s",
    named_mark="%({})s",
    arrays=True,
    bind_instant=stored,
    bind_day=_as_is,
    read_at=loaded_at,
    read_moment=loaded,
    read_day=_as_is,
)
