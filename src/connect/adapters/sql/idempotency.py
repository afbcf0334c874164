"""Remembered creations in ``idempotency_keys_1``: what both SQL engines do the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from connect.adapters.sql.dialect import SqlStore
from connect.domain.idempotency import IdempotencyRecord

TABLE: Final = "idempotency_keys_1"


class SqlIdempotencyStore(SqlStore):
    """Records over one connection; each engine adds one its own way."""

    def find(self, api_key_id: int, key: str) -> IdempotencyRecord | None:
        m = self._dialect.mark
        row = self._run(
            f"""SELECT fingerprint, submission_id, created_at FROM {TABLE}
            WHERE api_key_id = {m} AND idempotency_key = {m}""",
            [api_key_id, key],
        ).fetchone()
        if row is None:
            return None
        fingerprint, submission_id, created_at = row
        created = self._dialect.read_at(created_at)
        return IdempotencyRecord(api_key_id, key, fingerprint, submission_id, created)

    def purge(self, before: datetime) -> int:
        sql = f"DELETE FROM {TABLE} WHERE created_at < {self._dialect.mark}"
        return int(self._run(sql, [self._dialect.bind_instant(before)]).rowcount)
