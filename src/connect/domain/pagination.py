"""Cursor pagination over rows numbered by an increasing id, newest first.

The cursor names the last id a page showed; the next page holds strictly smaller ids.
Rows inserted meanwhile get larger ids, so paging never repeats nor skips a row.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Final, Generic, TypeVar

from attrs import frozen

from connect.domain.errors import ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 200
# NOTE: ids are SQLite INTEGER PRIMARY KEYs: 1 to 2**63 - 1. A cursor past that would
# overflow the query parameter.
MAX_ID: Final = 2**63 - 1


@frozen
class Page(Generic[T]):
    items: Sequence[T]
    next_cursor: str | None


@frozen
class JsonPage:
    """A page whose items are already one JSON array (see ``ports.views``)."""

    items_json: str
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor points after, or ``None`` for the first page.

    Raises:
        ValidationFailed: the cursor was not made by ``encode_cursor`` (or points
            outside the ids 1 to ``MAX_ID``).
    """
    if cursor is None or cursor == "":
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, _, number = text.partition(":")
        if version != "v1" or not (number.isascii() and number.isdigit()) or len(number) > 19:
            raise ValueError(cursor)
        last_id = int(number)
        if not 1 <= last_id <= MAX_ID:
            raise ValueError(cursor)
        return last_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed.single("cursor", "is not a cursor this API returned") from None


def parse_limit(value: object) -> int:
    """Raises:
    ValidationFailed: not an integer from 1 to 200.
    """
    if value is None or value == "":
        return DEFAULT_LIMIT
    try:
        limit = int(str(value))
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed.single("limit", f"must be an integer from 1 to {MAX_LIMIT}")
    return limit


def page_of(rows: Sequence[T], limit: int, id_of: Callable[[T], int]) -> Page[T]:
    """Cut ``limit + 1`` fetched rows into a page and its next cursor."""
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items=items, next_cursor=encode_cursor(id_of(items[-1])) if more else None)
