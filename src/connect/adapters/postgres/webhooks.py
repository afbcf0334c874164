"""PostgreSQL: TODO (being written)."""

from __future__ import annotations

from typing import Any

import psycopg

from connect.ports.secrets import SecretBox


class PostgresWebhookStore:
    def __init__(
        self, conn: psycopg.Connection[tuple[Any, ...]], box: SecretBox | None = None
    ) -> None:
        self._conn = conn
        self._box = box
