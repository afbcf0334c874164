"""``connect listen``'s rules: where to resume the feed, how to split a feed page into
the exact bytes of each event, and the line it prints.

``connect listen`` follows a remote Connect's event feed from a developer's laptop and
forwards each event, signed, to a local receiver (like ``stripe listen``). Everything
here is pure: the command brings the network and the clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from attrs import frozen

from connect.domain.errors import ConnectError
from connect.domain.escaping import escape_controls
from connect.domain.time import format_instant

_DECODER = json.JSONDecoder()
_SPACE = " \t\r\n"


@frozen
class Position:
    """Where the listener is in the feed.

    Attributes:
        after: the cursor to ask after (``None``: from the oldest event kept).
        etag: the validator of the page at ``after``, for ``If-None-Match``.
    """

    after: str | None = None
    etag: str | None = None

    def advance(self, next_cursor: str | None, etag: str | None) -> Position:
        """The position after a page answered with ``next_cursor`` and ``etag``.

        A page that moved the cursor is another URL: its tag says nothing about the
        next one, so it is dropped. A page that did not move keeps its tag, so the
        next poll is answered ``304`` while nothing is new.
        """
        cursor = next_cursor if next_cursor is not None else self.after
        return Position(after=cursor, etag=etag if cursor == self.after else None)


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _SPACE:
        index += 1
    return index


def _expect(text: str, index: int, char: str) -> int:
    index = _skip(text, index)
    if index >= len(text) or text[index] != char:
        raise ValueError(f"expected {char!r} at {index}")
    return index + 1


def _members(text: str, index: int, keyed: bool) -> Iterator[tuple[object, int, int]]:
    """The members of the object (``keyed``) or array whose opening bracket ends at
    ``index``: each key (``None`` in an array) and where its value starts and ends."""
    close = "}" if keyed else "]"
    index = _skip(text, index)
    if index < len(text) and text[index] == close:
        return
    while True:
        key = None
        if keyed:
            key, index = _DECODER.raw_decode(text, _skip(text, index))
            if not isinstance(key, str):
                raise ValueError("an object key is not a string")
            index = _expect(text, index, ":")
        start = _skip(text, index)
        _, index = _DECODER.raw_decode(text, start)
        yield key, start, index
        index = _skip(text, index)
        if index < len(text) and text[index] == close:
            return
        index = _expect(text, index, ",")


def raw_items(page: str) -> list[str]:
    """The items of a feed page's ``data`` array, each exactly as the page spells it.

    The feed's items are byte for byte the bodies webhooks carry; forwarding them
    re-serialised would be another body. This walks the top-level object with the JSON
    decoder and slices the source text, whatever its spacing.

    Raises:
        ValueError: the page is not a JSON object with a ``data`` array.
    """
    for key, start, _ in _members(page, _expect(page, 0, "{"), keyed=True):
        if key == "data":
            items = _members(page, _expect(page, start, "["), keyed=False)
            return [page[begin:end] for _, begin, end in items]
    raise ValueError("no data array")


def event_summary(item: str) -> tuple[str, str]:
    """An item's event type and id (empty strings when it has none)."""
    document: Any = json.loads(item)
    if not isinstance(document, dict):
        return "", ""
    return str(document.get("event", "")), str(document.get("id", ""))


def forward_line(
    at: datetime, event_type: str, event_id: str, status: int | None, error: str | None
) -> str:
    """The one line printed per forwarded event: when, what, and the receiver's answer.

    The receiver's error text and the event's fields are escaped: they come from
    elsewhere and must not move the terminal's cursor or forge another line.
    """
    answer = f"[{status}]" if status is not None else f"[failed: {error or 'no answer'}]"
    return escape_controls(f"{format_instant(at)}  --> {event_type} [{event_id}]  <-- {answer}")


class FeedUnavailable(ConnectError, ConnectionError):
    """The remote Connect's event feed could not be read (unreachable, or an answer
    that is not the feed)."""
