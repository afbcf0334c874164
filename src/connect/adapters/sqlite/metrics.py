from __future__ import annotations

from datetime import datetime

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.metrics import nearest_rank

AUDIT = "api_audit_log_1"


class SqliteMetricsQueries:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _scalar(self, sql: str, params: list[object] | None = None) -> int:
        return int(self._db.execute(sql, params or []).fetchone()[0] or 0)

    def keys_created(self) -> int:
        return self._scalar("SELECT count(*) FROM api_keys_1")

    def webhooks_registered(self) -> int:
        return self._scalar("SELECT count(*) FROM webhooks_1")

    def export_downloads(self, since: datetime) -> int:
        # NOTE: '/' sorts right before '0', so the range scan is exactly the prefix.
        return self._scalar(
            f"""SELECT count(*) FROM {AUDIT} WHERE created_at >= ?
                AND endpoint >= '/api/v1/exports/' AND endpoint < '/api/v1/exports0'
                AND method = 'GET'
                AND ((status_code BETWEEN 200 AND 299) OR status_code = 304)""",
            [instant(since)],
        )

    def delivery_outcomes(self) -> tuple[int, int]:
        row = self._db.execute(
            """SELECT count(*) FILTER (WHERE status = 'succeeded'),
                      count(*) FILTER (WHERE status = 'failed')
               FROM webhook_deliveries_1"""
        ).fetchone()
        return (int(row[0]), int(row[1]))

    def latencies_ms(self, since: datetime) -> tuple[int, float | None]:
        start = instant(since)
        count = self._scalar(
            f"SELECT count(*) FROM {AUDIT} WHERE created_at >= ? AND duration_ms IS NOT NULL",
            [start],
        )
        if count == 0:
            return (0, None)
        (value,) = self._db.execute(
            f"""SELECT duration_ms FROM {AUDIT} WHERE created_at >= ? AND duration_ms IS NOT NULL
                ORDER BY duration_ms LIMIT 1 OFFSET ?""",
            [start, nearest_rank(count, 95)],
        ).fetchone()
        return (count, float(value))
