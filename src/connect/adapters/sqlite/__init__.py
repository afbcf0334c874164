"""SQLite storage through sqlite-utils: one file, WAL, versioned migrations."""

from connect.adapters.sqlite.unit_of_work import SqliteUnitOfWork

__all__ = ["SqliteUnitOfWork"]
