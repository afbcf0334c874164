"""The audit log in PostgreSQL (``api_audit_log_1``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

import psycopg

from connect.adapters.postgres.instants import loaded_at, stored
from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.mode import Mode

TABLE: Final = "api_audit_log_1"


def _text(value: str | None) -> str | None:
    # NOTE: entries carry request data (a forwarded client address among them), and
    # PostgreSQL text cannot hold U+0000: one such entry would fail its whole batch, so
    # the log keeps a visible stand-in instead.
    return value.replace("\x00", "\N{REPLACEMENT CHARACTER}") if value is not None else None


class PostgresAuditLog:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    def append(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        # NOTE: the whole batch in one statement, one array per column; ORDER BY the
        # ordinality makes the identity hand out ids in the entries' order.
        self._conn.execute(
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

    def list(
        self,
        *,
        limit: int,
        before: int | None = None,
        api_key_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        mode: Mode | None = None,
    ) -> Sequence[AuditRecord]:
        where: list[str] = ["true"]
        params: list[Any] = []
        if before is not None:
            where.append("a.id < %s")
            params.append(before)
        if api_key_id is not None:
            where.append("a.api_key_id = %s")
            params.append(api_key_id)
        if since is not None:
            where.append("a.created_at >= %s")
            params.append(stored(since))
        if until is not None:
            where.append("a.created_at < %s")
            params.append(stored(until))
        if mode is not None:
            where.append("k.mode = %s")
            params.append(mode.value)
        rows = self._conn.execute(
            f"""SELECT a.id, a.api_key_id, a.endpoint, a.method, a.status_code, a.ip_address,
                    a.created_at, a.duration_ms, k.key_id
                FROM {TABLE} a LEFT JOIN api_keys_1 k ON k.id = a.api_key_id
                WHERE {" AND ".join(where)} ORDER BY a.id DESC LIMIT %s""",
            [*params, limit],
        ).fetchall()
        return [
            AuditRecord(
                id=row[0],
                entry=AuditEntry(
                    api_key_id=row[1],
                    endpoint=row[2],
                    method=row[3],
                    status_code=row[4],
                    ip_address=row[5],
                    created_at=loaded_at(row[6]),
                    duration_ms=row[7],
                ),
                key_id=row[8],
            )
            for row in rows
        ]
