"""Remembered creations in SQLite (``idempotency_keys_1``)."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from connect.adapters.sql.idempotency import TABLE, SqlIdempotencyStore
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.errors import Conflict, NotFound
from connect.domain.idempotency import IdempotencyRecord


class SqliteIdempotencyStore(SqlIdempotencyStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE)

    def add(self, record: IdempotencyRecord) -> None:
        try:
            self._run(
                f"""INSERT INTO {TABLE} (api_key_id, idempotency_key, fingerprint,
                    submission_id, created_at) VALUES (?, ?, ?, ?, ?)""",
                [
                    record.api_key_id,
                    record.key,
                    record.fingerprint,
                    record.submission_id,
                    instant(record.created_at),
                ],
            )
        except sqlite3.IntegrityError as e:
            if "FOREIGN KEY" in str(e):
                raise NotFound("no such API key or submission for the record") from e
            raise Conflict(f"Idempotency-Key {record.key!r} is already recorded") from e
