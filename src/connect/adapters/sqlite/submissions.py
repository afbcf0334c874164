from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

from connect.adapters.sqlite import stream
from connect.adapters.sqlite.query import select_all, select_one
from connect.adapters.sqlite.rows import instant, moment, submission_from_row
from connect.domain.exports.fingerprint import Fingerprint
from connect.domain.mode import Mode
from connect.domain.submission_query import SubmissionQuery, fold
from connect.domain.submissions import NewSubmission, Submission

TABLE = "talk_submissions_3"
COLUMNS = (
    "id",
    "speaker_name",
    "talk_context",
    "is_on_behalf",
    "submitter_name",
    "discord_channel_id",
    "discord_invite_link",
    "created_at",
    "status",
    "scheduled_date",
    "updated_at",
    "mode",
    "schedule_sequence",
)


def register_fold(db: sqlite_utils.Database) -> None:
    """Give this connection ``connect_fold()``, the domain's case folding.

    NOTE: SQLite's own ``lower()`` and ``LIKE`` fold ASCII letters only; search must
    find "Émile" from "émile" the same way in every store, so SQLite calls the domain.
    """
    db.conn.create_function("connect_fold", 1, fold, deterministic=True)


def filters(query: SubmissionQuery) -> tuple[list[str], list[Any]]:
    """The WHERE terms (joined by AND) and parameters of ``query``."""
    where: list[str] = ["mode = ?"]
    params: list[Any] = [query.mode.value]
    if query.statuses is not None:
        where.append(f"status IN ({', '.join('?' for _ in query.statuses)})")
        params.extend(sorted(s.value for s in query.statuses))
    if query.since is not None:
        where.append("created_at >= ?")
        params.append(instant(query.since))
    if (search := query.folded_search) is not None:
        where.append(
            "(instr(connect_fold(speaker_name), ?) > 0 OR instr(connect_fold(talk_context), ?) > 0)"
        )
        params.extend([search, search])
    return where, params


class SqliteSubmissionStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db
        register_fold(db)

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

    def get(self, id: int, mode: Mode) -> Submission | None:
        row = select_one(self._db, TABLE, "id = ? AND mode = ?", [id, mode.value])
        return submission_from_row(row) if row is not None else None

    def save(self, submission: Submission) -> None:
        self._db.execute(
            f"""UPDATE {TABLE} SET speaker_name = ?, talk_context = ?, is_on_behalf = ?,
                submitter_name = ?, discord_channel_id = ?, discord_invite_link = ?,
                status = ?, scheduled_date = ?, updated_at = ?, schedule_sequence = ?
            WHERE id = ?""",
            [
                submission.speaker_name,
                submission.talk_context,
                int(submission.is_on_behalf),
                submission.submitter_name,
                submission.discord_channel_id,
                submission.discord_invite_link,
                submission.status.value,
                submission.scheduled_date.isoformat() if submission.scheduled_date else None,
                instant(submission.updated_at),
                submission.schedule_sequence,
                submission.id,
            ],
        )

    def list(
        self, query: SubmissionQuery, *, limit: int, before: int | None = None
    ) -> Sequence[Submission]:
        where, params = filters(query)
        if before is not None:
            where.append("id < ?")
            params.append(before)
        sql = (
            f"SELECT {', '.join(COLUMNS)} FROM {TABLE} WHERE {' AND '.join(where)} "
            "ORDER BY id DESC LIMIT ?"
        )
        rows = select_all(self._db, COLUMNS, sql, [*params, limit])
        return sorted(map(submission_from_row, rows), key=lambda s: s.id, reverse=True)

    def scheduled(self, mode: Mode) -> Sequence[Submission]:
        sql = (
            f"SELECT {', '.join(COLUMNS)} FROM {TABLE} "
            "WHERE mode = ? AND scheduled_date IS NOT NULL"
        )
        rows = select_all(self._db, COLUMNS, sql, [mode.value])
        return sorted(map(submission_from_row, rows), key=lambda s: (s.scheduled_date, s.id))

    def stream(self, query: SubmissionQuery) -> Iterator[Submission]:
        where, params = filters(query)
        sql = f"SELECT {stream.COLUMNS} FROM {TABLE} WHERE {' AND '.join(where)} ORDER BY id"
        return stream.stream_rows(self._db.conn, sql, params)

    def fingerprint(self, query: SubmissionQuery) -> Fingerprint:
        where, params = filters(query)
        count, last_id = self._db.execute(
            f"SELECT count(*), max(id) FROM {TABLE} WHERE {' AND '.join(where)}", params
        ).fetchone()
        # NOTE: served by the (mode, updated_at) index of migration 4: one index probe.
        (last_updated,) = self._db.execute(
            f"SELECT max(updated_at) FROM {TABLE} WHERE mode = ?", [query.mode.value]
        ).fetchone()
        return Fingerprint(count=count, last_id=last_id, last_updated_at=moment(last_updated))
