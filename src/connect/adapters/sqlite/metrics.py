from __future__ import annotations

from datetime import datetime

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.metrics import nearest_rank
from connect.domain.mode import Mode

AUDIT = "api_audit_log_1"


def _of_mode(mode: Mode | None, column: str, table: str) -> tuple[str, list[object]]:
    """A ``WHERE`` term keeping the rows whose ``column`` points at a ``table`` row of
    ``mode`` (nothing to add when ``mode`` is ``None``)."""
    if mode is None:
        return ("", [])
    return (f" AND {column} IN (SELECT id FROM {table} WHERE mode = ?)", [mode.value])


class SqliteMetricsQueries:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _scalar(self, sql: str, params: list[object] | None = None) -> int:
        return int(self._db.execute(sql, params or []).fetchone()[0] or 0)

    def keys_created(self, mode: Mode | None = None) -> int:
        if mode is None:
            return self._scalar("SELECT count(*) FROM api_keys_1")
        return self._scalar("SELECT count(*) FROM api_keys_1 WHERE mode = ?", [mode.value])

    def webhooks_registered(self, mode: Mode | None = None) -> int:
        if mode is None:
            return self._scalar("SELECT count(*) FROM webhooks_1")
        return self._scalar("SELECT count(*) FROM webhooks_1 WHERE mode = ?", [mode.value])

    def export_downloads(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = _of_mode(mode, "api_key_id", "api_keys_1")
        # NOTE: '/' sorts right before '0', so the range scan is exactly the prefix.
        return self._scalar(
            f"""SELECT count(*) FROM {AUDIT} WHERE created_at >= ?
                AND endpoint >= '/api/v1/exports/' AND endpoint < '/api/v1/exports0'
                AND method = 'GET'
                AND ((status_code BETWEEN 200 AND 299) OR status_code = 304){term}""",
            [instant(since), *params],
        )

    def delivery_outcomes(self, mode: Mode | None = None) -> tuple[int, int]:
        term, params = _of_mode(mode, "webhook_id", "webhooks_1")
        row = self._db.execute(
            f"""SELECT count(*) FILTER (WHERE status = 'succeeded'),
                      count(*) FILTER (WHERE status = 'failed')
               FROM webhook_deliveries_1 WHERE 1 = 1{term}""",
            params,
        ).fetchone()
        return (int(row[0]), int(row[1]))

    def webhook_health(self, failing_after: int, mode: Mode | None = None) -> tuple[int, int]:
        where, params = ("mode = ?", [mode.value]) if mode is not None else ("1 = 1", [])
        row = self._db.execute(
            f"""SELECT count(*) FILTER (WHERE active AND failure_count >= ?),
                      count(*) FILTER (WHERE NOT active)
               FROM webhooks_1 WHERE {where}""",
            [failing_after, *params],
        ).fetchone()
        return (int(row[0]), int(row[1]))

    def deliveries_given_up(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = _of_mode(mode, "webhook_id", "webhooks_1")
        return self._scalar(
            f"""SELECT count(*) FROM webhook_deliveries_1 WHERE status = 'failed'
                AND event != 'webhook.test' AND updated_at >= ?{term}""",
            [instant(since), *params],
        )

    def latencies_ms(self, since: datetime, mode: Mode | None = None) -> tuple[int, float | None]:
        term, params = _of_mode(mode, "api_key_id", "api_keys_1")
        where = f"created_at >= ? AND duration_ms IS NOT NULL{term}"
        args = [instant(since), *params]
        count = self._scalar(f"SELECT count(*) FROM {AUDIT} WHERE {where}", args)
        if count == 0:
            return (0, None)
        (value,) = self._db.execute(
            f"""SELECT duration_ms FROM {AUDIT} WHERE {where}
                ORDER BY duration_ms LIMIT 1 OFFSET ?""",
            [*args, nearest_rank(count, 95)],
        ).fetchone()
        return (count, float(value))
