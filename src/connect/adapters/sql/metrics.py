"""The success-metrics figures, one statement per figure, the same in both SQL engines."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect, Run, SqlStore, count
from connect.domain.metrics import nearest_rank
from connect.domain.mode import Mode

AUDIT: Final = "api_audit_log_1"


class SqlMetricsQueries(SqlStore):
    """The figures over one connection.

    Args:
        exports: the term true for an audited ``endpoint`` under ``/api/v1/exports/``.
    """

    def __init__(self, run: Run, dialect: Dialect, *, exports: str) -> None:
        super().__init__(run, dialect)
        self._exports = exports

    def _of_mode(self, mode: Mode | None, column: str, table: str) -> tuple[str, list[object]]:
        """A ``WHERE`` term keeping the rows whose ``column`` points at a ``table`` row
        of ``mode`` (nothing to add when ``mode`` is ``None``)."""
        if mode is None:
            return ("", [])
        m = self._dialect.mark
        return (f" AND {column} IN (SELECT id FROM {table} WHERE mode = {m})", [mode.value])

    def _scalar(self, sql: str, params: list[object]) -> int:
        return count(self._run(sql, params))

    def _pair(self, sql: str, params: list[object]) -> tuple[int, int]:
        row: Any = self._run(sql, params).fetchone()
        return (int(row[0]), int(row[1]))

    def _in_mode(self, mode: Mode | None) -> tuple[str, list[object]]:
        """A ``WHERE`` clause keeping the rows of ``mode`` (every row for ``None``)."""
        if mode is None:
            return ("1 = 1", [])
        return (f"mode = {self._dialect.mark}", [mode.value])

    def keys_created(self, mode: Mode | None = None) -> int:
        where, params = self._in_mode(mode)
        return self._scalar(f"SELECT count(*) FROM api_keys_1 WHERE {where}", params)

    def webhooks_registered(self, mode: Mode | None = None) -> int:
        where, params = self._in_mode(mode)
        return self._scalar(f"SELECT count(*) FROM webhooks_1 WHERE {where}", params)

    def export_downloads(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = self._of_mode(mode, "api_key_id", "api_keys_1")
        return self._scalar(
            f"""SELECT count(*) FROM {AUDIT} WHERE created_at >= {self._dialect.mark}
                AND {self._exports} AND method = 'GET'
                AND ((status_code BETWEEN 200 AND 299) OR status_code = 304){term}""",
            [self._dialect.bind_instant(since), *params],
        )

    def delivery_outcomes(self, mode: Mode | None = None) -> tuple[int, int]:
        term, params = self._of_mode(mode, "webhook_id", "webhooks_1")
        return self._pair(
            f"""SELECT count(*) FILTER (WHERE status = 'succeeded'),
                      count(*) FILTER (WHERE status = 'failed')
               FROM webhook_deliveries_1 WHERE 1 = 1{term}""",
            params,
        )

    def webhook_health(self, failing_after: int, mode: Mode | None = None) -> tuple[int, int]:
        where, params = self._in_mode(mode)
        return self._pair(
            f"""SELECT count(*) FILTER (WHERE active AND failure_count >= {self._dialect.mark}),
                      count(*) FILTER (WHERE NOT active)
               FROM webhooks_1 WHERE {where}""",
            [failing_after, *params],
        )

    def deliveries_given_up(self, since: datetime, mode: Mode | None = None) -> int:
        term, params = self._of_mode(mode, "webhook_id", "webhooks_1")
        return self._scalar(
            f"""SELECT count(*) FROM webhook_deliveries_1 WHERE status = 'failed'
                AND event <> 'webhook.test' AND updated_at >= {self._dialect.mark}{term}""",
            [self._dialect.bind_instant(since), *params],
        )

    def latencies_ms(self, since: datetime, mode: Mode | None = None) -> tuple[int, float | None]:
        m = self._dialect.mark
        term, params = self._of_mode(mode, "api_key_id", "api_keys_1")
        where = f"created_at >= {m} AND duration_ms IS NOT NULL{term}"
        args: list[object] = [self._dialect.bind_instant(since), *params]
        found = self._scalar(f"SELECT count(*) FROM {AUDIT} WHERE {where}", args)
        if found == 0:
            return (0, None)
        # NOTE: the rank from the domain's nearest_rank, not percentile_disc: the same
        # integer rule on every adapter, no float comparison at the boundary.
        (value,) = self._run(
            f"""SELECT duration_ms FROM {AUDIT} WHERE {where}
                ORDER BY duration_ms LIMIT 1 OFFSET {m}""",
            [*args, nearest_rank(found, 95)],
        ).fetchone()
        return (found, float(value))
