"""The event feed in SQLite (``events_1``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.events import Event, EventType
from connect.domain.feed import FeedEvent, subject
from connect.domain.mode import Mode
from connect.domain.time import parse_instant

TABLE = "events_1"


def feed_event_from_row(row: Sequence[Any]) -> FeedEvent:
    position, id, kind, mode, timestamp, submission_id, body = row
    return FeedEvent(
        position=position,
        id=id,
        type=EventType(kind),
        mode=Mode(mode),
        timestamp=parse_instant(timestamp),
        body=body.encode(),
        submission_id=submission_id,
    )


def _types(types: frozenset[EventType] | None) -> tuple[str, list[str]]:
    if types is None:
        return "", []
    chosen = sorted(t.value for t in types)
    return f" AND type IN ({', '.join('?' for _ in chosen)})", chosen


class SqliteEventStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def add(self, event: Event) -> FeedEvent:
        row = self._db.execute(
            f"""INSERT INTO {TABLE} (id, type, mode, timestamp, submission_id, body)
            VALUES (?, ?, ?, ?, ?, ?)
            RETURNING position, id, type, mode, timestamp, submission_id, body""",
            [
                event.id,
                event.type.value,
                event.mode.value,
                instant(event.timestamp),
                subject(event),
                event.body().decode(),
            ],
        ).fetchone()
        return feed_event_from_row(row)

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        after: int | None = None,
        types: frozenset[EventType] | None = None,
    ) -> Sequence[FeedEvent]:
        kinds, chosen = _types(types)
        rows = self._db.execute(
            f"""SELECT position, id, type, mode, timestamp, submission_id, body FROM {TABLE}
            WHERE mode = ? AND position > ?{kinds} ORDER BY position LIMIT ?""",
            [mode.value, after or 0, *chosen, limit],
        ).fetchall()
        return [feed_event_from_row(r) for r in rows]

    def last(self, mode: Mode, types: frozenset[EventType] | None = None) -> int | None:
        kinds, chosen = _types(types)
        row = self._db.execute(
            f"SELECT MAX(position) FROM {TABLE} WHERE mode = ?{kinds}", [mode.value, *chosen]
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None
