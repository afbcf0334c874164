"""Retention and erasure over the SQLite file: the same rules as ``domain.retention``,
written as SQL so a purge touches only the rows it removes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.rows import instant
from connect.domain.deliveries import DeliveryStatus
from connect.domain.feed import scrub_body
from connect.domain.mode import Mode
from connect.domain.retention import FINISHED, Census, Erased, Purged

_FINISHED = ", ".join(f"'{s.value}'" for s in sorted(FINISHED))
_OPEN = ", ".join(
    f"'{s.value}'"
    for s in (DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT, DeliveryStatus.PAUSED)
)
# NOTE: each rule is one WHERE clause over its table, parameterised by the cutoff
# (``:limit``), so the dry run counts exactly the rows the purge removes.
_EXPIRED_DELIVERIES = f"status IN ({_FINISHED}) AND updated_at < :limit"
_EXPIRED_SNIPPETS = f"""response_snippet IS NOT NULL AND attempted_at < :limit
    AND delivery_id NOT IN (SELECT id FROM webhook_deliveries_1 WHERE {_EXPIRED_DELIVERIES})"""
_EXPIRED_EVENTS = f"""timestamp < :limit AND NOT EXISTS (
    SELECT 1 FROM webhook_deliveries_1 d WHERE d.event_id = events_1.id
        AND NOT (d.status IN ({_FINISHED}) AND d.updated_at < :limit))"""
_EXPIRED_AUDIT = "created_at < :limit"
_RULES = (
    ("deliveries", "webhook_deliveries_1", _EXPIRED_DELIVERIES),
    ("snippets", "webhook_attempts_1", _EXPIRED_SNIPPETS),
    ("events", "events_1", _EXPIRED_EVENTS),
    ("audit_entries", "api_audit_log_1", _EXPIRED_AUDIT),
)


class SqlitePersonalDataStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def _count(self, sql: str, params: Any = ()) -> int:
        return int(self._db.execute(sql, params).fetchone()[0])

    def census(self) -> Census:
        page_size = self._count("PRAGMA page_size")
        used = self._count("PRAGMA page_count") - self._count("PRAGMA freelist_count")
        return Census(
            events=self._count("SELECT count(*) FROM events_1"),
            deliveries=self._count("SELECT count(*) FROM webhook_deliveries_1"),
            snippets=self._count(
                "SELECT count(*) FROM webhook_attempts_1 WHERE response_snippet IS NOT NULL"
            ),
            audit_entries=self._count("SELECT count(*) FROM api_audit_log_1"),
            bytes=used * page_size,
        )

    def purge(self, limit: datetime, *, dry_run: bool = False) -> Purged:
        at = {"limit": instant(limit)}
        found: dict[str, int] = {}
        for name, table, where in _RULES:
            if dry_run:
                found[name] = self._count(f"SELECT count(*) FROM {table} WHERE {where}", at)
            elif name == "snippets":
                cursor = self._db.execute(
                    f"UPDATE {table} SET response_snippet = NULL WHERE {where}", at
                )
                found[name] = int(cursor.rowcount)
            else:
                # NOTE: attempts go with their delivery (ON DELETE CASCADE).
                found[name] = int(
                    self._db.execute(f"DELETE FROM {table} WHERE {where}", at).rowcount
                )
        return Purged(**found)

    def erase_submission(self, id: int, mode: Mode, now: datetime) -> Erased:
        deliveries = self._db.execute(
            """SELECT d.id, d.payload, d.status FROM webhook_deliveries_1 d
                JOIN webhooks_1 w ON w.id = d.webhook_id
            WHERE w.mode = ? AND d.event != 'webhook.test' AND json_valid(d.payload)
                AND json_extract(d.payload, '$.data.id') = ?""",
            [mode.value, id],
        ).fetchall()
        cancelled = 0
        for delivery_id, payload, status in deliveries:
            scrubbed = scrub_body(payload.encode(), id).decode()
            if DeliveryStatus(status) in FINISHED:
                self._db.execute(
                    "UPDATE webhook_deliveries_1 SET payload = ? WHERE id = ?",
                    [scrubbed, delivery_id],
                )
                continue
            cancelled += 1
            self._db.execute(
                """UPDATE webhook_deliveries_1 SET payload = ?, status = 'cancelled',
                    next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = ? WHERE id = ?""",
                [scrubbed, instant(now), delivery_id],
            )
        ids = [row[0] for row in deliveries]
        snippets = 0
        if ids:
            snippets = int(
                self._db.execute(
                    f"""UPDATE webhook_attempts_1 SET response_snippet = NULL
                    WHERE response_snippet IS NOT NULL
                        AND delivery_id IN ({", ".join("?" for _ in ids)})""",
                    ids,
                ).rowcount
            )
        events = self._db.execute(
            "SELECT position, body FROM events_1 WHERE mode = ? AND submission_id = ?",
            [mode.value, id],
        ).fetchall()
        for position, body in events:
            self._db.execute(
                "UPDATE events_1 SET body = ? WHERE position = ?",
                [scrub_body(body.encode(), id).decode(), position],
            )
        self._db.execute("DELETE FROM idempotency_keys_1 WHERE submission_id = ?", [id])
        self._db.execute(
            "DELETE FROM talk_submissions_3 WHERE id = ? AND mode = ?", [id, mode.value]
        )
        return Erased(
            events=len(events), payloads=len(deliveries), cancelled=cancelled, snippets=snippets
        )
