"""Deliveries in SQLite: claims (one statement, under the write lock) and attempts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlite_utils

from connect.adapters.sql.deliveries import ATTEMPTS, TABLE, UNLEASED, SqlDeliveryStore
from connect.adapters.sqlite.rows import SQLITE, instant
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus

DUE = "COALESCE(next_attempt_at, created_at)"


class SqliteDeliveryStore(SqlDeliveryStore):
    def __init__(self, db: sqlite_utils.Database) -> None:
        super().__init__(db.execute, SQLITE)

    def claim(
        self,
        now: datetime,
        *,
        owner: str,
        lease_until: datetime,
        limit: int,
        per_webhook: int,
        room: Mapping[int, int] | None = None,
    ) -> Sequence[Delivery]:
        at = instant(now)
        rooms = json.dumps({str(k): int(v) for k, v in (room or {}).items()})
        # NOTE: webhooks without room are left out before ranking: a hanging endpoint's
        # backlog of thousands must not be ranked on every claim.
        full = json.dumps([k for k, v in (room or {}).items() if v <= 0])
        # NOTE: one statement picks and leases, so two workers never claim the same row
        # (SQLite runs it under the write lock taken by BEGIN IMMEDIATE). Ordering by
        # rank first is the round-robin of connect.domain.claims.fair_claim.
        claimed = self._deliveries(
            f"""UPDATE {TABLE}
            SET status = 'in_flight', lease_owner = ?, lease_expires_at = ?, updated_at = ?
            WHERE id IN (
                SELECT id FROM (
                    SELECT id, webhook_id, {DUE} AS due, ROW_NUMBER() OVER (
                        PARTITION BY webhook_id ORDER BY {DUE}, id) AS rank
                    FROM {TABLE}
                    WHERE ((status = 'pending' AND next_attempt_at <= ?)
                        OR (status = 'in_flight'
                            AND (lease_expires_at IS NULL OR lease_expires_at <= ?)))
                        AND webhook_id NOT IN (SELECT value FROM json_each(?))
                ) WHERE rank <= COALESCE(json_extract(?, '$."' || webhook_id || '"'), ?)
                ORDER BY rank, due, id LIMIT ?
            ) RETURNING *""",
            [owner, instant(lease_until), at, at, at, full, rooms, per_webhook, limit],
        )
        # NOTE: the claimed rows are a prefix of each webhook's queue, so ranking them
        # again gives the order the statement chose.
        return fair_claim(claimed, limit=len(claimed), per_webhook=len(claimed))

    def record(
        self,
        id: int,
        attempt: Attempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        now: datetime,
    ) -> None:
        cursor = self._run(
            f"""UPDATE {TABLE} SET status = ?, attempt_count = MAX(attempt_count, ?),
                next_attempt_at = ?, {UNLEASED}, updated_at = ?
            WHERE id = ? AND status != 'cancelled'""",
            [status.value, attempt.attempt, instant(next_attempt_at), instant(now), id],
        )
        if cursor.rowcount == 0:
            return  # deleted meanwhile, with its webhook, or cancelled by an erasure
        self._run(
            f"""INSERT INTO {ATTEMPTS} (delivery_id, attempt, status_code, duration_ms, error,
                response_snippet, attempted_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                id,
                attempt.attempt,
                attempt.status_code,
                attempt.duration_ms,
                attempt.error,
                attempt.response_snippet,
                instant(attempt.attempted_at),
            ],
        )
