from __future__ import annotations

import sqlite3
from datetime import datetime

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.errors import Conflict, NotFound
from connect.domain.idempotency import IdempotencyRecord
from connect.domain.time import parse_instant

TABLE = "idempotency_keys_1"


class SqliteIdempotencyStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def find(self, api_key_id: int, key: str) -> IdempotencyRecord | None:
        row = self._db.execute(
            f"""SELECT fingerprint, submission_id, created_at FROM {TABLE}
            WHERE api_key_id = ? AND idempotency_key = ?""",
            [api_key_id, key],
        ).fetchone()
        if row is None:
            return None
        fingerprint, submission_id, created_at = row
        return IdempotencyRecord(
            api_key_id, key, fingerprint, submission_id, parse_instant(created_at)
        )

    def add(self, record: IdempotencyRecord) -> None:
        try:
            self._db.execute(
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

    def purge(self, before: datetime) -> int:
        cursor = self._db.execute(f"DELETE FROM {TABLE} WHERE created_at < ?", [instant(before)])
        return int(cursor.rowcount)
