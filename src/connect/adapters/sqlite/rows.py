"""Converting between SQLite values and domain values: times as ISO text with ``Z``,
dates as ISO text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from connect.adapters.sql.dialect import Dialect
from connect.domain.time import format_instant, parse_instant


def instant(value: datetime | None) -> str | None:
    return format_instant(value) if value is not None else None


def moment(text: str | None) -> datetime | None:
    return parse_instant(text) if text else None


def _bind_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _read_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


SQLITE: Final = Dialect(
    mark="?",
    named_mark=":{}",
    arrays=False,
    bind_instant=instant,
    bind_day=_bind_day,
    read_at=parse_instant,
    read_moment=moment,
    read_day=_read_day,
)
