"""The event feed in PostgreSQL (``events_1``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import loaded_at, stored
from connect.domain.events import Event, EventType
from connect.domain.feed import FeedEvent, subject
from connect.domain.mode import Mode

TABLE: Final = "events_1"
_COLUMNS: Final = "position, id, type, mode, timestamp, submission_id, body"
# NOTE: any constant no other advisory lock uses ("feed"); schema.py's migration lock
# is "conn".
FEED_LOCK: Final = 0x66656564

# NOTE: positions come from a sequence, and sequence values are handed out at insert
# but become visible at commit: a transaction that took position 10 can commit after
# one that took 11, and a reader that saw 11 and polls ``after=11`` would never see 10.
# So an append first takes a transaction-level advisory lock, held until commit or
# rollback (PostgreSQL makes the commit visible before it releases the lock): positions
# are then taken and made visible in the same order. The cost: transactions that emit
# events run their last part one at a time, from their first event to their commit
# (writes that emit no event, and every read, are not held). The lock is taken in the
# insert itself: no extra round trip.
_ADD: Final = f"""
WITH feed AS (SELECT pg_advisory_xact_lock({FEED_LOCK}))
INSERT INTO {TABLE} (id, type, mode, timestamp, submission_id, body)
SELECT %s, %s, %s, %s, %s, %s FROM feed
RETURNING {_COLUMNS}"""


def feed_event_from_row(row: Sequence[Any]) -> FeedEvent:
    position, id, kind, mode, timestamp, submission_id, body = row
    return FeedEvent(
        position=position,
        id=id,
        type=EventType(kind),
        mode=Mode(mode),
        timestamp=loaded_at(timestamp),
        body=body.encode(),
        submission_id=submission_id,
    )


def _types(types: frozenset[EventType] | None) -> tuple[str, list[Any]]:
    if types is None:
        return "", []
    return " AND type = ANY(%s)", [sorted(t.value for t in types)]


class PostgresEventStore:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    def add(self, event: Event) -> FeedEvent:
        row = self._conn.execute(
            _ADD,
            [
                event.id,
                event.type.value,
                event.mode.value,
                stored(event.timestamp),
                subject(event),
                event.body().decode(),
            ],
        ).fetchone()
        assert row is not None
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
        rows = self._conn.execute(
            f"""SELECT {_COLUMNS} FROM {TABLE}
            WHERE mode = %s AND position > %s{kinds} ORDER BY position LIMIT %s""",
            [mode.value, after or 0, *chosen, limit],
        ).fetchall()
        return [feed_event_from_row(r) for r in rows]

    def last(self, mode: Mode, types: frozenset[EventType] | None = None) -> int | None:
        kinds, chosen = _types(types)
        row = self._conn.execute(
            f"SELECT max(position) FROM {TABLE} WHERE mode = %s{kinds}", [mode.value, *chosen]
        ).fetchone()
        return int(row[0]) if row is not None and row[0] is not None else None
