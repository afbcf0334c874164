"""API keys in PostgreSQL (``api_keys_1``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import loaded, loaded_at, stored
from connect.domain.errors import Conflict
from connect.domain.keys import ApiKey, NewApiKey, Scope
from connect.domain.mode import Mode

TABLE: Final = "api_keys_1"
_SELECT: Final = (
    "SELECT id, key_id, key_hash, name, scopes, created_by, expires_at, last_used_at, "
    f"created_at, revoked_at, mode FROM {TABLE}"
)


# NOTE: every request reads its key's row (a revocation takes effect at once in every
# process); only turning the row into an ApiKey is remembered, by the row's exact
# values, so a changed row is parsed afresh. Pure, bounded and thread-safe.
@lru_cache(maxsize=1024)
def _key_from_values(row: tuple[Any, ...]) -> ApiKey:
    return ApiKey(
        id=row[0],
        key_id=row[1],
        key_hash=row[2],
        name=row[3],
        scopes=frozenset(Scope(s) for s in json.loads(row[4])),
        created_by=row[5],
        expires_at=loaded(row[6]),
        last_used_at=loaded(row[7]),
        created_at=loaded_at(row[8]),
        revoked_at=loaded(row[9]),
        mode=Mode(row[10]),
    )


class PostgresKeyStore:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    def add(self, new: NewApiKey) -> ApiKey:
        # NOTE: ON CONFLICT instead of catching the unique violation: a failed statement
        # would abort the caller's whole transaction.
        row = self._conn.execute(
            f"""INSERT INTO {TABLE} (key_id, key_hash, name, scopes, created_by,
                expires_at, created_at, mode)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (key_id) DO NOTHING RETURNING id""",
            [
                new.key_id,
                new.key_hash,
                new.name,
                json.dumps(sorted(s.value for s in new.scopes)),
                new.created_by,
                stored(new.expires_at),
                stored(new.created_at),
                new.mode.value,
            ],
        ).fetchone()
        if row is None:
            raise Conflict(f"key_id {new.key_id} already exists")
        return ApiKey.from_new(new, row[0])

    def _one(self, column: str, value: object) -> ApiKey | None:
        row = self._conn.execute(f"{_SELECT} WHERE {column} = %s", [value]).fetchone()
        return _key_from_values(tuple(row)) if row is not None else None

    def get(self, id: int) -> ApiKey | None:
        return self._one("id", id)

    def find(self, key_id: str) -> ApiKey | None:
        if "\x00" in key_id:
            return None  # NOTE: PostgreSQL refuses U+0000 in a parameter; no key has one.
        return self._one("key_id", key_id)

    def list(
        self, *, limit: int, before: int | None = None, mode: Mode | None = None
    ) -> Sequence[ApiKey]:
        terms: list[str] = ["true"]
        params: list[object] = []
        if before is not None:
            terms.append("id < %s")
            params.append(before)
        if mode is not None:
            terms.append("mode = %s")
            params.append(mode.value)
        rows = self._conn.execute(
            f"{_SELECT} WHERE {' AND '.join(terms)} ORDER BY id DESC LIMIT %s",
            [*params, limit],
        ).fetchall()
        return [_key_from_values(tuple(r)) for r in rows]

    def save(self, key: ApiKey) -> None:
        self._conn.execute(
            f"UPDATE {TABLE} SET name = %s, revoked_at = %s, last_used_at = %s WHERE id = %s",
            [key.name, stored(key.revoked_at), stored(key.last_used_at), key.id],
        )

    def touch(self, id: int, at: datetime) -> None:
        self._conn.execute(f"UPDATE {TABLE} SET last_used_at = %s WHERE id = %s", [stored(at), id])

    def count(self) -> int:
        row = self._conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
        return int(row[0]) if row is not None else 0
