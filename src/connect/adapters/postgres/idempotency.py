"""Remembered creations in PostgreSQL (``idempotency_keys_1``)."""

from __future__ import annotations

from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import POSTGRES, stored
from connect.adapters.sql.idempotency import TABLE, SqlIdempotencyStore
from connect.domain.errors import Conflict, NotFound
from connect.domain.idempotency import IdempotencyRecord

# NOTE: one statement that cannot fail on the expected cases, so the caller's
# transaction survives a Conflict (a failed statement aborts a PostgreSQL transaction):
# the parents are checked first, and a second record for the same keys is skipped by
# ON CONFLICT (a concurrent one waits for the first to commit, then is skipped). It
# reports whether the parents exist and whether the row went in.
_ADD: Final = f"""
WITH candidate AS (
    SELECT %(api_key_id)s::bigint AS api_key_id, %(key)s::text AS idempotency_key,
        %(fingerprint)s::text AS fingerprint, %(submission_id)s::bigint AS submission_id,
        %(created_at)s::timestamptz AS created_at
    WHERE EXISTS (SELECT 1 FROM api_keys_1 WHERE id = %(api_key_id)s)
        AND EXISTS (SELECT 1 FROM talk_submissions_3 WHERE id = %(submission_id)s)
), inserted AS (
    INSERT INTO {TABLE} (api_key_id, idempotency_key, fingerprint, submission_id, created_at)
    SELECT * FROM candidate
    ON CONFLICT (api_key_id, idempotency_key) DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM candidate), (SELECT count(*) FROM inserted)
"""


class PostgresIdempotencyStore(SqlIdempotencyStore):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        super().__init__(conn.execute, POSTGRES)

    def find(self, api_key_id: int, key: str) -> IdempotencyRecord | None:
        if "\x00" in key:
            return None  # NOTE: PostgreSQL refuses U+0000 in a parameter; none is stored.
        return super().find(api_key_id, key)

    def add(self, record: IdempotencyRecord) -> None:
        try:
            row = self._run(
                _ADD,
                {
                    "api_key_id": record.api_key_id,
                    "key": record.key,
                    "fingerprint": record.fingerprint,
                    "submission_id": record.submission_id,
                    "created_at": stored(record.created_at),
                },
            ).fetchone()
        except psycopg.errors.ForeignKeyViolation as e:
            # NOTE: only when a parent is deleted between the check and the insert.
            raise NotFound("no such API key or submission for the record") from e
        parents, inserted = row if row is not None else (0, 0)
        if not parents:
            raise NotFound("no such API key or submission for the record")
        if not inserted:
            raise Conflict(f"Idempotency-Key {record.key!r} is already recorded")
