"""API keys in SQLite (``api_keys_1``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from connect.adapters.sql.keys import COLUMNS, TABLE, SqlKeyStore
from connect.adapters.sqlite.query import select_all
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.errors import Conflict
from connect.domain.keys import ApiKey, NewApiKey


class SqliteKeyStore(SqlKeyStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE)
        self._db = db

    def _all(self, sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
        return list(select_all(self._db, COLUMNS, sql, params))

    def add(self, new: NewApiKey) -> ApiKey:
        try:
            cursor = self._db.execute(
                f"""INSERT INTO {TABLE} (key_id, key_hash, name, scopes, created_by,
                    expires_at, created_at, mode)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
                [
                    new.key_id,
                    new.key_hash,
                    new.name,
                    json.dumps(sorted(s.value for s in new.scopes)),
                    new.created_by,
                    instant(new.expires_at),
                    instant(new.created_at),
                    new.mode.value,
                ],
            )
        except sqlite3.IntegrityError as e:
            raise Conflict(f"key_id {new.key_id} already exists") from e
        (id,) = cursor.fetchone()
        return ApiKey.from_new(new, id)
