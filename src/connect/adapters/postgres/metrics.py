"""The success-metrics figures over PostgreSQL."""

from __future__ import annotations

from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.sql.metrics import SqlMetricsQueries


class PostgresMetricsQueries(SqlMetricsQueries):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        # NOTE: starts_with, not LIKE: the prefix holds no wildcard to escape, and
        # "/api/v1/exportsfoo" must not count.
        exports = "starts_with(endpoint, '/api/v1/exports/')"
        super().__init__(conn.execute, POSTGRES, exports=exports)
