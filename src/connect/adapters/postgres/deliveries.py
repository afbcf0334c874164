"""Deliveries in ``webhook_deliveries_1`` and their attempts in ``webhook_attempts_1``;
claims and wake-ups as ``connect.adapters.postgres.claiming`` describes."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from connect.adapters.postgres.claiming import ATTEMPTS, CHANNEL, CLAIM, TABLE, notifying
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType

Connection = psycopg.Connection[tuple[Any, ...]]


def delivery_from_row(row: dict[str, Any], attempts: Sequence[Attempt] = ()) -> Delivery:
    return Delivery(
        id=row["id"],
        webhook_id=row["webhook_id"],
        event_id=row["event_id"],
        event=EventType(row["event"]),
        payload=row["payload"].encode(),
        status=DeliveryStatus(row["status"]),
        attempt_count=row["attempt_count"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        attempts=tuple(attempts),
    )


def attempt_from_row(row: dict[str, Any]) -> Attempt:
    return Attempt(
        attempt=row["attempt"],
        status_code=row["status_code"],
        duration_ms=row["duration_ms"],
        error=row["error"],
        response_snippet=row["response_snippet"],
        attempted_at=row["attempted_at"],
    )


class PostgresDeliveryStore:
    """Deliveries over one connection (inside the caller's transaction, if any)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _dicts(
        self, sql: str, params: Sequence[object] | Mapping[str, object]
    ) -> list[dict[str, Any]]:
        with self._conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _count(self, sql: str, params: Sequence[object]) -> int:
        row = self._conn.execute(sql, params).fetchone()
        return int(row[0]) if row else 0

    def add(self, new: NewDelivery) -> Delivery:
        told = f", pg_notify('{CHANNEL}', '')" if new.status is DeliveryStatus.PENDING else ""
        rows = self._dicts(
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
        return delivery_from_row(rows[0])

    def _with_attempts(self, rows: list[dict[str, Any]]) -> list[Delivery]:
        # NOTE: a delivery never attempted has no attempts to look up (most claims).
        ids = [r["id"] for r in rows if r["attempt_count"]]
        found: dict[int, list[Attempt]] = {r["id"]: [] for r in rows}
        if ids:
            for row in self._dicts(
                f"""SELECT * FROM {ATTEMPTS} WHERE delivery_id = ANY(%s)
                ORDER BY delivery_id, id""",
                [ids],
            ):
                found[row["delivery_id"]].append(attempt_from_row(row))
        return [delivery_from_row(r, found[r["id"]]) for r in rows]

    def get(self, id: int) -> Delivery | None:
        found = self._with_attempts(self._dicts(f"SELECT * FROM {TABLE} WHERE id = %s", [id]))
        return found[0] if found else None

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        where, params = "webhook_id = %s", [webhook_id]
        if before is not None:
            where, params = where + " AND id < %s", [webhook_id, before]
        rows = self._dicts(
            f"SELECT * FROM {TABLE} WHERE {where} ORDER BY id DESC LIMIT %s", [*params, limit]
        )
        return self._with_attempts(rows)

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
        rows = self._dicts(
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
        claimed = self._with_attempts(rows)
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

    def pause(self, webhook_id: int, now: datetime) -> int:
        cursor = self._conn.execute(
            f"""UPDATE {TABLE} SET status = 'paused', updated_at = %s
            WHERE webhook_id = %s AND status = 'pending'""",
            [now, webhook_id],
        )
        return cursor.rowcount

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

    def count(self, status: DeliveryStatus | None = None) -> int:
        if status is None:
            return self._count(f"SELECT count(*) FROM {TABLE}", [])
        return self._count(f"SELECT count(*) FROM {TABLE} WHERE status = %s", [status.value])
