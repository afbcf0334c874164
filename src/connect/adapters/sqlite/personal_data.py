"""Retention and erasure over the SQLite file: the purge is ``connect.adapters.sql.retention``,
erasure is written here."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from connect.adapters.sql.retention import SqlPersonalDataStore
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.deliveries import DeliveryStatus
from connect.domain.feed import scrub_body
from connect.domain.mode import Mode
from connect.domain.retention import FINISHED, Erased

# The file's pages in use (the free list left out): the census's size.
_SIZE = """(SELECT s.page_size * (c.page_count - f.freelist_count)
    FROM pragma_page_size() s, pragma_page_count() c, pragma_freelist_count() f)"""


class SqlitePersonalDataStore(SqlPersonalDataStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE, size=_SIZE)

    def erase_submission(self, id: int, mode: Mode, now: datetime) -> Erased:
        deliveries = self._run(
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
                self._run(
                    "UPDATE webhook_deliveries_1 SET payload = ? WHERE id = ?",
                    [scrubbed, delivery_id],
                )
                continue
            cancelled += 1
            self._run(
                """UPDATE webhook_deliveries_1 SET payload = ?, status = 'cancelled',
                    next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = ? WHERE id = ?""",
                [scrubbed, instant(now), delivery_id],
            )
        ids = [row[0] for row in deliveries]
        snippets = 0
        if ids:
            snippets = int(
                self._run(
                    f"""UPDATE webhook_attempts_1 SET response_snippet = NULL
                    WHERE response_snippet IS NOT NULL
                        AND delivery_id IN ({", ".join("?" for _ in ids)})""",
                    ids,
                ).rowcount
            )
        events = self._run(
            "SELECT position, body FROM events_1 WHERE mode = ? AND submission_id = ?",
            [mode.value, id],
        ).fetchall()
        for position, body in events:
            self._run(
                "UPDATE events_1 SET body = ? WHERE position = ?",
                [scrub_body(body.encode(), id).decode(), position],
            )
        self._run("DELETE FROM idempotency_keys_1 WHERE submission_id = ?", [id])
        self._run("DELETE FROM talk_submissions_3 WHERE id = ? AND mode = ?", [id, mode.value])
        return Erased(
            events=len(events), payloads=len(deliveries), cancelled=cancelled, snippets=snippets
        )
