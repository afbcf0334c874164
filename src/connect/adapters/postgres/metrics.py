"""The success-metrics figures over PostgreSQL: one statement per figure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from connect.domain.metrics import nearest_rank
from connect.domain.mode import Mode

AUDIT = "api_audit_log_1"


def _of_mode(mode: Mode | None, column: str, table: str) -> tuple[str, list[object]]:
    """A ``WHERE`` term keeping the rows whose ``column`` points at a ``table`` row of
    ``mode`` (nothing to add when ``mode`` is ``None``)."""
    if mode is None:
        return ("", [])
    return (f" AND {column} IN (SELECT id FROM {table} WHERE mode = %s)", [mode.value])


class PostgresMetricsQueries:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn

    def _row(self, sql: str, params: list[object] | None = None) -> tuple[Any, ...]:
        row = self._conn.execute(sql, params or []).fetchone()
        assert row is not None  # an aggregate always answers one row
        return row

    def _scalar(self, sql: str, params: list[object] | None = None) -> int:
        return int(self._row(sql, params)[0] or 0)

    def keys_created(self, mode: Mode | None = None) -> int:
        if mode is None:
            return self._scalar("SELECT count(*) FROM api_keys_1")
        return self._scalar("SELECT count(*) FROM api_keys_1 WHERE mode = %s", [mode.value])

    def webhooks_registered(self, mode: Mode | None = None) -> int:
        if mode is None:
            return self._scalar("SELECT count(*) FROM webhooks_1")
        return self._scalar("SELECT count(*) FROM webhooks_1 WHERE mode = %s", [mode.value])

    def export_downloads(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = _of_mode(mode, "api_key_id", "api_keys_1")
        # NOTE: starts_with, not LIKE: the prefix holds no wildcard to escape, and
        # "/api/v1/exportsfoo" must not count.
        return self._scalar(
            f"""SELECT count(*) FROM {AUDIT} WHERE created_at >= %s
                AND starts_with(endpoint, '/api/v1/exports/') AND method = 'GET'
                AND ((status_code BETWEEN 200 AND 299) OR status_code = 304){term}""",
            [since, *params],
        )

    def delivery_outcomes(self, mode: Mode | None = None) -> tuple[int, int]:
        term, params = _of_mode(mode, "webhook_id", "webhooks_1")
        row = self._row(
            f"""SELECT count(*) FILTER (WHERE status = 'succeeded'),
                      count(*) FILTER (WHERE status = 'failed')
               FROM webhook_deliveries_1 WHERE true{term}""",
            params,
        )
        return (int(row[0]), int(row[1]))

    def webhook_health(self, failing_after: int, mode: Mode | None = None) -> tuple[int, int]:
        where, params = ("mode = %s", [mode.value]) if mode is not None else ("true", [])
        row = self._row(
            f"""SELECT count(*) FILTER (WHERE active AND failure_count >= %s),
                      count(*) FILTER (WHERE NOT active)
               FROM webhooks_1 WHERE {where}""",
            [failing_after, *params],
        )
        return (int(row[0]), int(row[1]))

    def deliveries_given_up(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = _of_mode(mode, "webhook_id", "webhooks_1")
        return self._scalar(
            f"""SELECT count(*) FROM webhook_deliveries_1 WHERE status = 'failed'
                AND event <> 'webhook.test' AND updated_at >= %s{term}""",
            [since, *params],
        )

    def latencies_ms(self, since: datetime, mode: Mode | None = None) -> tuple[int, float | None]:
        term, params = _of_mode(mode, "api_key_id", "api_keys_1")
        where = f"created_at >= %s AND duration_ms IS NOT NULL{term}"
        args: list[object] = [since, *params]
        count = self._scalar(f"SELECT count(*) FROM {AUDIT} WHERE {where}", args)
        if count == 0:
            return (0, None)
        # NOTE: the rank from the domain's nearest_rank, not percentile_disc: the same
        # integer rule on every adapter, no float comparison at the boundary.
        value = self._row(
            f"""SELECT duration_ms FROM {AUDIT} WHERE {where}
                ORDER BY duration_ms LIMIT 1 OFFSET %s""",
            [*args, nearest_rank(count, 95)],
        )[0]
        return (count, float(value))
