"""API keys in ``api_keys_1``: what both SQL engines do the same way."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect, SqlStore, count
from connect.domain.keys import ApiKey, Scope
from connect.domain.mode import Mode

TABLE: Final = "api_keys_1"
COLUMNS: Final = (
    "id, key_id, key_hash, name, scopes, created_by, expires_at, last_used_at, created_at, "
    "revoked_at, mode"
)
SELECT: Final = f"SELECT {COLUMNS} FROM {TABLE}"


# NOTE: every request reads its key's row (a revocation takes effect at once in every
# process); only turning the row into an ApiKey is remembered, by the row's exact
# values, so a changed row is parsed afresh. Pure, bounded and thread-safe.
@lru_cache(maxsize=1024)
def key_from_values(row: tuple[Any, ...], dialect: Dialect) -> ApiKey:
    """A key from a row selected with ``COLUMNS``."""
    return ApiKey(
        id=row[0],
        key_id=row[1],
        key_hash=row[2],
        name=row[3],
        scopes=frozenset(Scope(s) for s in json.loads(row[4])),
        created_by=row[5],
        expires_at=dialect.read_moment(row[6]),
        last_used_at=dialect.read_moment(row[7]),
        created_at=dialect.read_at(row[8]),
        revoked_at=dialect.read_moment(row[9]),
        mode=Mode(row[10]),
    )


class SqlKeyStore(SqlStore):
    """Keys over one connection; each engine adds a new one its own way."""

    def _all(self, sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
        """The rows of ``sql`` (which selects ``COLUMNS``), in any order."""
        return list(self._run(sql, params).fetchall())

    def _one(self, column: str, value: object) -> ApiKey | None:
        sql = f"{SELECT} WHERE {column} = {self._dialect.mark} LIMIT 1"
        row = self._run(sql, [value]).fetchone()
        return key_from_values(tuple(row), self._dialect) if row is not None else None

    def get(self, id: int) -> ApiKey | None:
        return self._one("id", id)

    def find(self, key_id: str) -> ApiKey | None:
        return self._one("key_id", key_id)

    def list(
        self, *, limit: int, before: int | None = None, mode: Mode | None = None
    ) -> Sequence[ApiKey]:
        mode_value = mode.value if mode is not None else None
        where, params = self._dialect.where(("id <", before), ("mode =", mode_value))
        sql = f"{SELECT} WHERE {where} ORDER BY id DESC LIMIT {self._dialect.mark}"
        keys = [key_from_values(tuple(r), self._dialect) for r in self._all(sql, [*params, limit])]
        return sorted(keys, key=lambda k: k.id, reverse=True)

    def save(self, key: ApiKey) -> None:
        m, at = self._dialect.mark, self._dialect.bind_instant
        self._run(
            f"UPDATE {TABLE} SET name = {m}, revoked_at = {m}, last_used_at = {m} WHERE id = {m}",
            [key.name, at(key.revoked_at), at(key.last_used_at), key.id],
        )

    def touch(self, id: int, at: datetime) -> None:
        m = self._dialect.mark
        self._run(
            f"UPDATE {TABLE} SET last_used_at = {m} WHERE id = {m}",
            [self._dialect.bind_instant(at), id],
        )

    def count(self) -> int:
        return count(self._run(f"SELECT count(*) FROM {TABLE}", []))
