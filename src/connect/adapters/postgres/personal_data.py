"""Retention and erasure over PostgreSQL: the purge is ``connect.adapters.sql.retention``,
erasure is written here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.postgres.schema import TABLES
from connect.adapters.sql.retention import SqlPersonalDataStore
from connect.domain.deliveries import DeliveryStatus
from connect.domain.feed import body_subject, scrub_body
from connect.domain.mode import Mode
from connect.domain.retention import FINISHED, Erased


class PostgresPersonalDataStore(SqlPersonalDataStore):
    def __init__(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        # NOTE: what Connect keeps on the server, with indexes and TOAST.
        size = " + ".join(f"pg_total_relation_size('{t}')" for t in TABLES)
        super().__init__(conn.execute, POSTGRES, size=size)

    def _deliveries_about(self, id: int, mode: Mode) -> list[tuple[int, str, str]]:
        """The deliveries of ``mode``'s webhooks whose payload's ``data.id`` is ``id``,
        locked until the transaction ends (a worker recording an attempt waits)."""
        # NOTE: the pattern only narrows the scan (payloads are not all valid JSON, and
        # a cast would abort the transaction); body_subject decides, like SQLite's
        # json_extract.
        rows = self._run(
            r"""SELECT d.id, d.payload, d.status FROM webhook_deliveries_1 d
                JOIN webhooks_1 w ON w.id = d.webhook_id
            WHERE w.mode = %s AND d.event <> 'webhook.test'
                AND d.payload ~ ('"id"\s*:\s*' || %s::text || '(?![0-9])')
            ORDER BY d.id FOR UPDATE OF d""",
            [mode.value, str(id)],
        ).fetchall()
        return [row for row in rows if body_subject(row[1].encode()) == id]

    def erase_submission(self, id: int, mode: Mode, now: datetime) -> Erased:
        deliveries = self._deliveries_about(id, mode)
        scrubbed = [scrub_body(payload.encode(), id).decode() for _, payload, _ in deliveries]
        ids = [row[0] for row in deliveries]
        finished = [DeliveryStatus(row[2]) in FINISHED for row in deliveries]
        cancelled = finished.count(False)
        if ids:
            # NOTE: one statement for every copy; those still to be attempted are
            # cancelled and lose their lease in the same write.
            self._run(
                """UPDATE webhook_deliveries_1 d SET payload = v.payload,
                    status = CASE WHEN v.finished THEN d.status ELSE 'cancelled' END,
                    next_attempt_at = CASE WHEN v.finished THEN d.next_attempt_at END,
                    lease_owner = CASE WHEN v.finished THEN d.lease_owner END,
                    lease_expires_at = CASE WHEN v.finished THEN d.lease_expires_at END,
                    updated_at = CASE WHEN v.finished THEN d.updated_at ELSE %s END
                FROM unnest(%s::bigint[], %s::text[], %s::boolean[])
                    AS v(id, payload, finished)
                WHERE d.id = v.id""",
                [now, ids, scrubbed, finished],
            )
        snippets = 0
        if ids:
            snippets = self._run(
                """UPDATE webhook_attempts_1 SET response_snippet = NULL
                WHERE response_snippet IS NOT NULL AND delivery_id = ANY(%s)""",
                [ids],
            ).rowcount
        events = self._run(
            """SELECT position, body FROM events_1 WHERE mode = %s AND submission_id = %s
            ORDER BY position FOR UPDATE""",
            [mode.value, id],
        ).fetchall()
        if events:
            self._run(
                """UPDATE events_1 e SET body = v.body
                FROM unnest(%s::bigint[], %s::text[]) AS v(position, body)
                WHERE e.position = v.position""",
                [
                    [position for position, _ in events],
                    [scrub_body(body.encode(), id).decode() for _, body in events],
                ],
            )
        self._run("DELETE FROM idempotency_keys_1 WHERE submission_id = %s", [id])
        self._run("DELETE FROM talk_submissions_3 WHERE id = %s AND mode = %s", [id, mode.value])
        return Erased(
            events=len(events), payloads=len(deliveries), cancelled=cancelled, snippets=snippets
        )
