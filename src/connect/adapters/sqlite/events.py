"""The event feed in SQLite (``events_1``)."""

from __future__ import annotations

import sqlite_utils

from connect.adapters.sql.events import COLUMNS, INSERT, SqlEventStore
from connect.adapters.sqlite.rows import SQLITE


class SqliteEventStore(SqlEventStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        # NOTE: SQLite has one writer at a time: positions become visible in order.
        super().__init__(
            db.execute, SQLITE, f"{INSERT} VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
        )
