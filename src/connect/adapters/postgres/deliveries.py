"""Deliveries in ``webhook_deliveries_1`` and their attempts in ``webhook_attempts_1``;
claims and wake-ups as ``connect.adapters.postgres.claiming`` describes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg

from connect.adapters.postgres.claiming import CHANNEL, CLAIM, notifying
from connect.adapters.postgres.instants import POSTGRES, stored
from connect.adapters.sql.deliveries import ATTEMPTS, TABLE, UNLEASED, SqlDeliveryStore
from connect.adapters.sql.dialect import count
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus

Connection = psycopg.Connection[tuple[Any, ...]]


class PostgresDeliveryStore(SqlDeliveryStore):
    """Deliveries over one connection (inside the caller's transaction, if any)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn.execute, POSTGRES)

    def _changed(self, sql: str, params: Sequence[object], *, due: bool = True) -> int:
        if not due:
            return super()._changed(sql, params)
        return count(self._run(notifying(f"{sql} RETURNING id"), params))

    def _adding(self, sql: str, *, due: bool) -> str:
        if not due:
            return sql
        return f"WITH added AS ({sql}) SELECT added.*, pg_notify('{CHANNEL}', '') FROM added"

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
                "now": stored(now),
                "owner": owner,
                "lease_until": stored(lease_until),
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
        self._run(
            f"""WITH settled AS (
                UPDATE {TABLE} SET status = %(status)s,
                    attempt_count = GREATEST(attempt_count, %(attempt)s),
                    next_attempt_at = %(next)s, {UNLEASED}, updated_at = %(now)s
                WHERE id = %(id)s AND status <> 'cancelled' RETURNING id
            )
            INSERT INTO {ATTEMPTS} (delivery_id, attempt, status_code, duration_ms, error,
                response_snippet, attempted_at)
            SELECT id, %(attempt)s, %(code)s, %(ms)s, %(error)s, %(snippet)s, %(at)s
            FROM settled""",
            {
                "status": status.value,
                "attempt": attempt.attempt,
                "next": stored(next_attempt_at),
                "now": stored(now),
                "id": id,
                "code": attempt.status_code,
                "ms": attempt.duration_ms,
                "error": attempt.error,
                "snippet": attempt.response_snippet,
                "at": stored(attempt.attempted_at),
            },
        )
