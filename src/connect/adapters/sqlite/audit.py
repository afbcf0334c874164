from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.mode import Mode
from connect.domain.time import parse_instant

TABLE = "api_audit_log_1"


class SqliteAuditLog:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def append(self, entries: Sequence[AuditEntry]) -> None:
        # NOTE: one statement for the whole batch (rows passed as one JSON array):
        # executemany would release and retake the GIL once per row, and under a busy
        # threaded server each retake waits behind the request threads.
        rows = [
            [
                e.api_key_id,
                e.endpoint,
                e.method,
                e.status_code,
                e.ip_address,
                instant(e.created_at),
                e.duration_ms,
            ]
            for e in entries
        ]
        self._db.execute(
            f"""INSERT INTO {TABLE} (api_key_id, endpoint, method, status_code, ip_address,
                created_at, duration_ms)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
                value ->> 5, value ->> 6
            FROM json_each(?) ORDER BY key""",
            [json.dumps(rows)],
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
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if before is not None:
            where.append("a.id < ?")
            params.append(before)
        if api_key_id is not None:
            where.append("a.api_key_id = ?")
            params.append(api_key_id)
        if since is not None:
            where.append("a.created_at >= ?")
            params.append(instant(since))
        if until is not None:
            where.append("a.created_at < ?")
            params.append(instant(until))
        if mode is not None:
            where.append("k.mode = ?")
            params.append(mode.value)
        rows = self._db.execute(
            f"""SELECT a.id, a.api_key_id, a.endpoint, a.method, a.status_code, a.ip_address,
                    a.created_at, a.duration_ms, k.key_id
                FROM {TABLE} a LEFT JOIN api_keys_1 k ON k.id = a.api_key_id
                WHERE {" AND ".join(where)} ORDER BY a.id DESC LIMIT ?""",
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
                    created_at=parse_instant(row[6]),
                    duration_ms=row[7],
                ),
                key_id=row[8],
            )
            for row in rows
        ]
