"""Streaming submissions out of SQLite: one cursor, positional rows, nothing held.

Exports read every row of a mode, so this path skips what is fine for a page of 50
(a dict per row, the general time parser) but costs seconds at 100k rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission
from connect.domain.time import parse_instant

COLUMNS: Final = (
    "id, speaker_name, talk_context, is_on_behalf, submitter_name, discord_channel_id, "
    "discord_invite_link, status, scheduled_date, mode, created_at, updated_at, "
    "schedule_sequence"
)
_STATUS: Final = {s.value: s for s in Status}
_MODE: Final = {m.value: m for m in Mode}
_fromisoformat = datetime.fromisoformat
_date = date.fromisoformat


def submission_from_values(row: Sequence[Any]) -> Submission:
    """A submission from a row selected with ``COLUMNS``."""
    created = _fromisoformat(row[10])
    if created.tzinfo is not UTC:
        created = parse_instant(row[10])
    updated = _fromisoformat(row[11]) if row[11] else created
    if updated.tzinfo is not UTC:
        updated = parse_instant(row[11])
    return Submission(
        id=row[0],
        speaker_name=row[1],
        talk_context=row[2],
        is_on_behalf=bool(row[3]),
        submitter_name=row[4],
        discord_channel_id=row[5],
        discord_invite_link=row[6],
        status=_STATUS[row[7]],
        scheduled_date=_date(row[8]) if row[8] else None,
        mode=_MODE[row[9]],
        created_at=created,
        updated_at=updated,
        schedule_sequence=row[12],
    )


def stream_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> Iterator[Submission]:
    """Submissions from ``sql`` one at a time; closing the iterator closes the cursor."""
    cursor = conn.execute(sql, params)
    make = submission_from_values
    try:
        for row in cursor:
            yield make(row)
    finally:
        cursor.close()
