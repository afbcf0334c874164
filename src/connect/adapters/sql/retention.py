"""Retention over both SQL engines: the rules of ``domain.retention`` written as SQL, so
a purge touches only the rows it removes, and the census."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connect.adapters.sql.dialect import Dialect, Run, SqlStore, count
from connect.domain.retention import FINISHED, Census, Purged

_FINISHED = ", ".join(f"'{s.value}'" for s in sorted(FINISHED))
# NOTE: each rule is one WHERE clause over its table, parameterised by the cutoff
# (``{limit}``), so the dry run counts exactly the rows the purge removes.
_EXPIRED_DELIVERIES = f"status IN ({_FINISHED}) AND updated_at < {{limit}}"
_RULES = (
    ("deliveries", "webhook_deliveries_1", _EXPIRED_DELIVERIES),
    (
        "snippets",
        "webhook_attempts_1",
        f"""response_snippet IS NOT NULL AND attempted_at < {{limit}} AND delivery_id NOT IN
            (SELECT id FROM webhook_deliveries_1 WHERE {_EXPIRED_DELIVERIES})""",
    ),
    (
        "events",
        "events_1",
        f"""timestamp < {{limit}} AND NOT EXISTS (
            SELECT 1 FROM webhook_deliveries_1 d WHERE d.event_id = events_1.id
                AND NOT (d.status IN ({_FINISHED}) AND d.updated_at < {{limit}}))""",
    ),
    ("audit_entries", "api_audit_log_1", "created_at < {limit}"),
)
_COUNTS = """SELECT (SELECT count(*) FROM events_1),
    (SELECT count(*) FROM webhook_deliveries_1),
    (SELECT count(*) FROM webhook_attempts_1 WHERE response_snippet IS NOT NULL),
    (SELECT count(*) FROM api_audit_log_1)"""


def purge(run: Run, dialect: Dialect, limit: datetime, *, dry_run: bool) -> Purged:
    """Remove (or with ``dry_run`` only count) what is past retention at ``limit``."""
    at: dict[str, Any] = {"limit": dialect.bind_instant(limit)}
    found: dict[str, int] = {}
    for name, table, rule in _RULES:
        where = rule.format(limit=dialect.named_mark.format("limit"))
        if dry_run:
            found[name] = count(run(f"SELECT count(*) FROM {table} WHERE {where}", at))
        elif name == "snippets":
            cursor = run(f"UPDATE {table} SET response_snippet = NULL WHERE {where}", at)
            found[name] = int(cursor.rowcount)
        else:
            # NOTE: attempts go with their delivery (ON DELETE CASCADE).
            found[name] = int(run(f"DELETE FROM {table} WHERE {where}", at).rowcount)
    return Purged(**found)


class SqlPersonalDataStore(SqlStore):
    """Census and purge over one connection; each engine erases its own way.

    Args:
        size: an expression of the bytes the database uses, for the census.
    """

    def __init__(self, run: Run, dialect: Dialect, *, size: str) -> None:
        super().__init__(run, dialect)
        self._size = size

    def census(self) -> Census:
        events, deliveries, snippets, audit_entries, size = (
            int(v) for v in self._run(f"{_COUNTS}, {self._size}", []).fetchone()
        )
        return Census(
            events=events,
            deliveries=deliveries,
            snippets=snippets,
            audit_entries=audit_entries,
            bytes=size,
        )

    def purge(self, limit: datetime, *, dry_run: bool = False) -> Purged:
        return purge(self._run, self._dialect, limit, dry_run=dry_run)
