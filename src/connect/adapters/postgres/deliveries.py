"""Deliveries in ``webhook_deliveries_1`` and their attempts in ``webhook_attempts_1``;
claims and wake-ups as ``connect.adapters.postgres.claiming`` describes."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg

from connect.adapters.postgres.claiming import CHANNEL, CLAIM, notifying
from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.sql.deliveries import ATTEMPTS, TABLE, SqlDeliveryStore
from connect.adapters.sql.dialect import count
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType

Connection = psycopg.Connection[tuple[Any, ...]]


class PostgresDeliveryStore(SqlDeliveryStore):
    """Deliveries over one connection (inside the caller's transaction, if any)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn.execute, POSTGRES)
        self._conn = conn

    def _count(self, sql: str, params: Sequence[object]) -> int:
        return count(self._conn.execute(sql, params))

    def add(self, new: NewDelivery) -> Delivery:
        told = f", pg_notify('{CHANNEL}', '')" if new.status is DeliveryStatus.PENDING else ""
        (added,) = self._deliveries(
            f"""WITH added AS (
                INSERT INTO {TABLE} (webhook_id, event_id, event, payload, status,
                    next_attempt_at, created_at, updated_at)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING *
            ) SELECT added.*{told} FROM added""",
            [
                new.webhook_id,
                new.event_id,
                new.event.value,
                new.payload.decode(),
                new.status.value,
                new.next_attempt_at,
                new.created_at,
                new.created_at,
            ],
        )
        return added

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
        if limit <= 0:
            return []
        room = room or {}
        claimed = self._deliveries(
            CLAIM,
            {
                "now": now,
                "owner": owner,
                "lease_until": lease_until,
                "limit": limit,
                "per_webhook": max(0, per_webhook),
                # NOTE: webhooks without room are left out before anything is read: a
                # hanging endpoint's backlog of thousands must not be scanned each claim.
                "full": [w for w, n in room.items() if n <= 0],
                "room_ids": list(room),
                "room_sizes": [max(0, int(n)) for n in room.values()],
            },
        )
        # NOTE: the claimed rows are a prefix of each webhook's queue, so ranking them
        # again gives the order the statement chose.
        return fair_claim(claimed, limit=len(claimed), per_webhook=len(claimed))

    def renew(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        if not ids:
            return 0
        cursor = self._conn.execute(
            f"""UPDATE {TABLE} SET lease_expires_at = %s
            WHERE id = ANY(%s) AND lease_owner = %s AND status = 'in_flight'""",
            [lease_until, list(ids), owner],
        )
        return cursor.rowcount

    def record(
        self,
        id: int,
        attempt: Attempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        now: datetime,
    ) -> None:
        # NOTE: one round trip: the attempt is appended only if the delivery is still
        # there and not cancelled (deleted with its webhook, or cancelled by an erasure).
        self._conn.execute(
            f"""WITH settled AS (
                UPDATE {TABLE} SET status = %(status)s,
                    attempt_count = GREATEST(attempt_count, %(attempt)s),
                    next_attempt_at = %(next)s, lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = %(now)s
                WHERE id = %(id)s AND status <> 'cancelled' RETURNING id
            )
            INSERT INTO {ATTEMPTS} (delivery_id, attempt, status_code, duration_ms, error,
                response_snippet, attempted_at)
            SELECT id, %(attempt)s, %(code)s, %(ms)s, %(error)s, %(snippet)s, %(at)s
            FROM settled""",
            {
                "status": status.value,
                "attempt": attempt.attempt,
                "next": next_attempt_at,
                "now": now,
                "id": id,
                "code": attempt.status_code,
                "ms": attempt.duration_ms,
                "error": attempt.error,
                "snippet": attempt.response_snippet,
                "at": attempt.attempted_at,
            },
        )

    def release(self, id: int, owner: str, now: datetime) -> None:
        self._conn.execute(
            notifying(
                f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = %s,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = %s
                WHERE id = %s AND lease_owner = %s AND status = 'in_flight' RETURNING id"""
            ),
            [now, now, id, owner],
        )

    def reschedule(
        self, id: int, *, status: DeliveryStatus, next_attempt_at: datetime | None, now: datetime
    ) -> None:
        changes = f"""UPDATE {TABLE} SET status = %s, next_attempt_at = %s, lease_owner = NULL,
            lease_expires_at = NULL, updated_at = %s WHERE id = %s RETURNING id"""
        pending = status is DeliveryStatus.PENDING
        self._conn.execute(
            notifying(changes) if pending else changes, [status.value, next_attempt_at, now, id]
        )

    def resume(self, webhook_id: int, now: datetime) -> int:
        return self._count(
            notifying(
                f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = %s, updated_at = %s
                WHERE webhook_id = %s AND status = 'paused' RETURNING id"""
            ),
            [now, now, webhook_id],
        )

    def recover(
        self,
        webhook_id: int,
        since: datetime,
        until: datetime,
        now: datetime,
        *,
        skip: Collection[EventType] = (),
    ) -> int:
        return self._count(
            notifying(
                f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = %s,
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = %s
                WHERE webhook_id = %s AND status = 'failed' AND created_at >= %s
                    AND created_at <= %s AND event <> ALL(%s) RETURNING id"""
            ),
            [now, now, webhook_id, since, until, sorted(e.value for e in skip)],
        )

    def next_due(self, exclude: Collection[int] = ()) -> datetime | None:
        # NOTE: the partial index webhook_deliveries_1_due holds exactly these rows.
        row = self._conn.execute(
            f"""SELECT min(next_attempt_at) FROM {TABLE}
            WHERE status = 'pending' AND webhook_id <> ALL(%s)""",
            [list(exclude)],
        ).fetchone()
        return row[0] if row else None
