from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.query import select_all
from connect.adapters.sqlite.rows import instant, key_from_row
from connect.domain.errors import Conflict
from connect.domain.keys import ApiKey, NewApiKey
from connect.domain.mode import Mode

TABLE = "api_keys_1"
COLUMNS = (
    "id",
    "key_id",
    "key_hash",
    "name",
    "scopes",
    "created_by",
    "expires_at",
    "last_used_at",
    "created_at",
    "revoked_at",
    "mode",
)


_SELECT = f"SELECT {', '.join(COLUMNS)} FROM {TABLE}"


# NOTE: every request reads its key's row (a revocation takes effect at once); only
# turning the row into an ApiKey is remembered, by the row's exact values, so a
# changed row is parsed afresh. Pure, bounded and thread-safe.
@lru_cache(maxsize=1024)
def _key_from_values(values: tuple[Any, ...]) -> ApiKey:
    return key_from_row(dict(zip(COLUMNS, values, strict=True)))


class SqliteKeyStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

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

    def _one(self, where: str, value: object) -> ApiKey | None:
        row = self._db.execute(f"{_SELECT} WHERE {where} = ? LIMIT 1", [value]).fetchone()
        return _key_from_values(tuple(row)) if row is not None else None

    def get(self, id: int) -> ApiKey | None:
        return self._one("id", id)

    def find(self, key_id: str) -> ApiKey | None:
        return self._one("key_id", key_id)

    def list(
        self, *, limit: int, before: int | None = None, mode: Mode | None = None
    ) -> Sequence[ApiKey]:
        terms: list[str] = []
        params: list[object] = []
        if before is not None:
            terms.append("id < ?")
            params.append(before)
        if mode is not None:
            terms.append("mode = ?")
            params.append(mode.value)
        where = f"WHERE {' AND '.join(terms)}" if terms else ""
        sql = f"{_SELECT} {where} ORDER BY id DESC LIMIT ?"
        rows = select_all(self._db, COLUMNS, sql, [*params, limit])
        return sorted(map(key_from_row, rows), key=lambda k: k.id, reverse=True)

    def save(self, key: ApiKey) -> None:
        self._db.execute(
            f"UPDATE {TABLE} SET name = ?, revoked_at = ?, last_used_at = ? WHERE id = ?",
            [key.name, instant(key.revoked_at), instant(key.last_used_at), key.id],
        )

    def touch(self, id: int, at: datetime) -> None:
        self._db.execute(f"UPDATE {TABLE} SET last_used_at = ? WHERE id = ?", [instant(at), id])

    def count(self) -> int:
        return int(self._db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])
