"""API keys in PostgreSQL (``api_keys_1``)."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES, stored
from connect.adapters.sql.keys import TABLE, SqlKeyStore
from connect.domain.errors import Conflict
from connect.domain.keys import ApiKey, NewApiKey


class PostgresKeyStore(SqlKeyStore):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        super().__init__(conn.execute, POSTGRES)

    def add(self, new: NewApiKey) -> ApiKey:
        # NOTE: ON CONFLICT instead of catching the unique violation: a failed statement
        # would abort the caller's whole transaction.
        row = self._run(
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

    def find(self, key_id: str) -> ApiKey | None:
        if "\x00" in key_id:
            return None  # NOTE: PostgreSQL refuses U+0000 in a parameter; no key has one.
        return super().find(key_id)
