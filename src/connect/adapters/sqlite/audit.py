"""The audit log in SQLite (``api_audit_log_1``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_utils

from connect.adapters.sql.audit import TABLE, SqlAuditLog
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.audit import AuditEntry


class SqliteAuditLog(SqlAuditLog):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE)

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
        self._run(
            f"""INSERT INTO {TABLE} (api_key_id, endpoint, method, status_code, ip_address,
                created_at, duration_ms)
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4,
                value ->> 5, value ->> 6
            FROM json_each(?) ORDER BY key""",
            [json.dumps(rows)],
        )
