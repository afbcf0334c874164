"""The audit log in PostgreSQL (``api_audit_log_1``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES, stored
from connect.adapters.sql.audit import TABLE, SqlAuditLog
from connect.domain.audit import AuditEntry


def _text(value: str | None) -> str | None:
    # NOTE: entries carry request data (a forwarded client address among them), and
    # PostgreSQL text cannot hold U+0000: one such entry would fail its whole batch, so
    # the log keeps a visible stand-in instead.
    return value.replace("\x00", "\N{REPLACEMENT CHARACTER}") if value is not None else None


class PostgresAuditLog(SqlAuditLog):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        super().__init__(conn.execute, POSTGRES)

    def append(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        # NOTE: the whole batch in one statement, one array per column; ORDER BY the
        # ordinality makes the identity hand out ids in the entries' order.
        self._run(
            f"""INSERT INTO {TABLE} (api_key_id, endpoint, method, status_code, ip_address,
                created_at, duration_ms)
            SELECT k, e, m, s, i, c, d
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::int[], %s::text[],
                %s::timestamptz[], %s::float8[]) WITH ORDINALITY AS t(k, e, m, s, i, c, d, n)
            ORDER BY n""",
            [
                [e.api_key_id for e in entries],
                [_text(e.endpoint) for e in entries],
                [_text(e.method) for e in entries],
                [e.status_code for e in entries],
                [_text(e.ip_address) for e in entries],
                [stored(e.created_at) for e in entries],
                [e.duration_ms for e in entries],
            ],
        )
