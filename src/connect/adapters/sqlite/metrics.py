"""The success-metrics figures over SQLite."""

from __future__ import annotations

import sqlite_utils

from connect.adapters.sql.metrics import SqlMetricsQueries
from connect.adapters.sqlite.rows import SQLITE


class SqliteMetricsQueries(SqlMetricsQueries):
    def __init__(self, db: sqlite_utils.Database) -> None:
        # NOTE: '/' sorts right before '0', so the range scan is exactly the prefix.
        exports = "endpoint >= '/api/v1/exports/' AND endpoint < '/api/v1/exports0'"
        super().__init__(db.execute, SQLITE, exports=exports)
