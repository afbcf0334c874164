"""PostgreSQL: TODO (being written)."""

from __future__ import annotations

from typing import Any

import psycopg


class PostgresSubmissionStore:
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._conn = conn
