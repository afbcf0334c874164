"""Talk submissions in SQLite (``talk_submissions_3``); the API document of each row is
kept by triggers (schema migration 5)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from connect.adapters.sql.submissions import (
    COLUMNS,
    TABLE,
    SqlSubmissionStore,
    query_filters,
    submission_from_values,
)
from connect.adapters.sqlite.query import select_all
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.submission_query import SubmissionQuery, fold
from connect.domain.submissions import NewSubmission, Submission


def register_fold(db: sqlite_utils.Database) -> None:
    """Give this connection ``connect_fold()``, the domain's case folding.

    NOTE: SQLite's own ``lower()`` and ``LIKE`` fold ASCII letters only; search must
    find "Émile" from "émile" the same way in every store, so SQLite calls the domain.
    """
    db.conn.create_function("connect_fold", 1, fold, deterministic=True)


def _search(text: str) -> tuple[str, list[Any]]:
    term = "(instr(connect_fold(speaker_name), ?) > 0 OR instr(connect_fold(talk_context), ?) > 0)"
    return term, [text, text]


filters = query_filters(SQLITE, _search)


class SqliteSubmissionStore(SqlSubmissionStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE, filters)
        self._db = db
        register_fold(db)

    def _all(self, sql: str, params: Sequence[Any]) -> list[Submission]:
        rows = select_all(self._db, COLUMNS, sql, params)
        return [submission_from_values(row, SQLITE) for row in rows]

    def add(self, new: NewSubmission) -> Submission:
        cursor = self._db.execute(
            f"""INSERT INTO {TABLE} (speaker_name, talk_context, is_on_behalf, submitter_name,
                discord_channel_id, discord_invite_link, created_at, updated_at, status, mode)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) RETURNING id""",
            [
                new.speaker_name,
                new.talk_context,
                int(new.is_on_behalf),
                new.submitter_name,
                new.discord_channel_id,
                new.discord_invite_link,
                instant(new.created_at),
                instant(new.created_at),
                new.mode.value,
            ],
        )
        (id,) = cursor.fetchone()
        return Submission.from_new(new, id)

    def stream(self, query: SubmissionQuery) -> Iterator[Submission]:
        """One cursor, positional rows, nothing held; closing the iterator closes the
        cursor."""
        where, params = filters(query)
        cursor = self._db.conn.execute(
            f"SELECT {COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY id", params
        )
        try:
            for row in cursor:
                yield submission_from_values(row, SQLITE)
        finally:
            cursor.close()
