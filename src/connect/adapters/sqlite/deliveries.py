from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlite_utils

from connect.adapters.sqlite.rows import instant, moment
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType
from connect.domain.time import parse_instant

TABLE = "webhook_deliveries_1"
ATTEMPTS = "webhook_attempts_1"
DUE = "COALESCE(next_attempt_at, created_at)"


def delivery_from_row(row: dict[str, Any], attempts: Sequence[Attempt] = ()) -> Delivery:
    return Delivery(
        id=row["id"],
        webhook_id=row["webhook_id"],
        event_id=row["event_id"],
        event=EventType(row["event"]),
        payload=row["payload"].encode(),
        status=DeliveryStatus(row["status"]),
        attempt_count=row["attempt_count"],
        next_attempt_at=moment(row["next_attempt_at"]),
        created_at=parse_instant(row["created_at"]),
        updated_at=parse_instant(row["updated_at"]),
        attempts=tuple(attempts),
    )


def attempt_from_row(row: dict[str, Any]) -> Attempt:
    return Attempt(
        attempt=row["attempt"],
        status_code=row["status_code"],
        duration_ms=row["duration_ms"],
        error=row["error"],
        response_snippet=row["response_snippet"],
        attempted_at=parse_instant(row["attempted_at"]),
    )


class SqliteDeliveryStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def add(self, new: NewDelivery) -> Delivery:
        cursor = self._db.execute(
            f"""INSERT INTO {TABLE} (webhook_id, event_id, event, payload, status,
                next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
            [
                new.webhook_id,
                new.event_id,
                new.event.value,
                new.payload.decode(),
                new.status.value,
                instant(new.next_attempt_at),
                instant(new.created_at),
                instant(new.created_at),
            ],
        )
        columns = [c[0] for c in cursor.description]
        return delivery_from_row(dict(zip(columns, cursor.fetchone(), strict=True)))

    def _with_attempts(self, rows: list[dict[str, Any]]) -> list[Delivery]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        found: dict[int, list[Attempt]] = {i: [] for i in ids}
        for row in self._db.query(
            f"SELECT * FROM {ATTEMPTS} WHERE delivery_id IN ({marks}) ORDER BY delivery_id, id",
            ids,
        ):
            found[row["delivery_id"]].append(attempt_from_row(row))
        return [delivery_from_row(r, found[r["id"]]) for r in rows]

    def get(self, id: int) -> Delivery | None:
        rows = list(self._db.query(f"SELECT * FROM {TABLE} WHERE id = ?", [id]))
        found = self._with_attempts(rows)
        return found[0] if found else None

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        where, params = "webhook_id = ?", [webhook_id]
        if before is not None:
            where, params = where + " AND id < ?", [webhook_id, before]
        rows = list(
            self._db.query(
                f"SELECT * FROM {TABLE} WHERE {where} ORDER BY id DESC LIMIT ?", [*params, limit]
            )
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
        at = instant(now)
        rooms = json.dumps({str(k): int(v) for k, v in (room or {}).items()})
        # NOTE: webhooks without room are left out before ranking: a hanging endpoint's
        # backlog of thousands must not be ranked on every claim.
        full = json.dumps([k for k, v in (room or {}).items() if v <= 0])
        # NOTE: one statement picks and leases, so two workers never claim the same row
        # (SQLite runs it under the write lock taken by BEGIN IMMEDIATE). Ordering by
        # rank first is the round-robin of connect.domain.claims.fair_claim.
        cursor = self._db.execute(
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
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
        claimed = self._with_attempts(rows)
        # NOTE: the claimed rows are a prefix of each webhook's queue, so ranking them
        # again gives the order the statement chose.
        return fair_claim(claimed, limit=len(claimed), per_webhook=len(claimed))

    def renew(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        cursor = self._db.execute(
            f"""UPDATE {TABLE} SET lease_expires_at = ?
            WHERE id IN ({marks}) AND lease_owner = ? AND status = 'in_flight'""",
            [instant(lease_until), *ids, owner],
        )
        return int(cursor.rowcount)

    def record(
        self,
        id: int,
        attempt: Attempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        now: datetime,
    ) -> None:
        cursor = self._db.execute(
            f"""UPDATE {TABLE} SET status = ?, attempt_count = MAX(attempt_count, ?),
                next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL,
                updated_at = ?
            WHERE id = ? AND status != 'cancelled'""",
            [status.value, attempt.attempt, instant(next_attempt_at), instant(now), id],
        )
        if cursor.rowcount == 0:
            return  # deleted meanwhile, with its webhook, or cancelled by an erasure
        self._db.execute(
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

    def release(self, id: int, owner: str, now: datetime) -> None:
        self._db.execute(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = ?, lease_owner = NULL,
                lease_expires_at = NULL, updated_at = ?
            WHERE id = ? AND lease_owner = ? AND status = 'in_flight'""",
            [instant(now), instant(now), id, owner],
        )

    def reschedule(
        self, id: int, *, status: DeliveryStatus, next_attempt_at: datetime | None, now: datetime
    ) -> None:
        self._db.execute(
            f"""UPDATE {TABLE} SET status = ?, next_attempt_at = ?, lease_owner = NULL,
                lease_expires_at = NULL, updated_at = ? WHERE id = ?""",
            [status.value, instant(next_attempt_at), instant(now), id],
        )

    def pause(self, webhook_id: int, now: datetime) -> int:
        cursor = self._db.execute(
            f"""UPDATE {TABLE} SET status = 'paused', updated_at = ?
            WHERE webhook_id = ? AND status = 'pending'""",
            [instant(now), webhook_id],
        )
        return int(cursor.rowcount)

    def resume(self, webhook_id: int, now: datetime) -> int:
        cursor = self._db.execute(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = ?, updated_at = ?
            WHERE webhook_id = ? AND status = 'paused'""",
            [instant(now), instant(now), webhook_id],
        )
        return int(cursor.rowcount)

    def recover(
        self,
        webhook_id: int,
        since: datetime,
        until: datetime,
        now: datetime,
        *,
        skip: Collection[EventType] = (),
    ) -> int:
        skipped = sorted(e.value for e in skip)
        others = f"AND event NOT IN ({', '.join('?' for _ in skipped)})" if skipped else ""
        # NOTE: instants are stored in one fixed-width spelling, so text order is time order.
        cursor = self._db.execute(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = ?, lease_owner = NULL,
                lease_expires_at = NULL, updated_at = ?
            WHERE webhook_id = ? AND status = 'failed' AND created_at >= ? AND created_at <= ?
            {others}""",
            [instant(now), instant(now), webhook_id, instant(since), instant(until), *skipped],
        )
        return int(cursor.rowcount)

    def next_due(self, exclude: Collection[int] = ()) -> datetime | None:
        others = f"AND webhook_id NOT IN ({', '.join('?' for _ in exclude)})" if exclude else ""
        row = self._db.execute(
            f"SELECT MIN(next_attempt_at) FROM {TABLE} WHERE status = 'pending' {others}",
            list(exclude),
        ).fetchone()
        return moment(row[0]) if row else None

    def count(self, status: DeliveryStatus | None = None) -> int:
        if status is None:
            return int(self._db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])
        return int(
            self._db.execute(
                f"SELECT count(*) FROM {TABLE} WHERE status = ?", [status.value]
            ).fetchone()[0]
        )
