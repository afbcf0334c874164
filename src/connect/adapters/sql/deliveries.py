"""Deliveries in ``webhook_deliveries_1`` and their attempts in ``webhook_attempts_1``:
what both SQL engines do the same way (claiming and recording an attempt are each
engine's own)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from connect.adapters.sql.dialect import SqlStore, count, dicts
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType

TABLE: Final = "webhook_deliveries_1"
ATTEMPTS: Final = "webhook_attempts_1"


# The lease cleared: only an in-flight delivery holds one.
UNLEASED: Final = "lease_owner = NULL, lease_expires_at = NULL"


class SqlDeliveryStore(SqlStore):
    """Deliveries over one connection."""

    def _attempt(self, row: dict[str, Any]) -> Attempt:
        return Attempt(
            attempt=row["attempt"],
            status_code=row["status_code"],
            duration_ms=row["duration_ms"],
            error=row["error"],
            response_snippet=row["response_snippet"],
            attempted_at=self._dialect.read_at(row["attempted_at"]),
        )

    def _delivery(self, row: dict[str, Any], attempts: Sequence[Attempt] = ()) -> Delivery:
        d = self._dialect
        return Delivery(
            id=row["id"],
            webhook_id=row["webhook_id"],
            event_id=row["event_id"],
            event=EventType(row["event"]),
            payload=row["payload"].encode(),
            status=DeliveryStatus(row["status"]),
            attempt_count=row["attempt_count"],
            next_attempt_at=d.read_moment(row["next_attempt_at"]),
            created_at=d.read_at(row["created_at"]),
            updated_at=d.read_at(row["updated_at"]),
            attempts=tuple(attempts),
        )

    def _deliveries(
        self, sql: str, params: Sequence[object] | Mapping[str, object]
    ) -> list[Delivery]:
        """The deliveries ``sql`` returns (every column), in its order, with their attempts."""
        rows = dicts(self._run(sql, params))
        # NOTE: a delivery never attempted has no attempts to look up (most claims).
        ids = [r["id"] for r in rows if r["attempt_count"]]
        found: dict[int, list[Attempt]] = {r["id"]: [] for r in rows}
        if ids:
            term, chosen = self._dialect.any_of("delivery_id", ids)
            sql = f"SELECT * FROM {ATTEMPTS} WHERE {term} ORDER BY delivery_id, id"
            for row in dicts(self._run(sql, chosen)):
                found[row["delivery_id"]].append(self._attempt(row))
        return [self._delivery(r, found[r["id"]]) for r in rows]

    def _adding(self, sql: str, *, due: bool) -> str:
        """``sql``, an INSERT returning the new row, as run; ``due``: the new delivery
        is due (PostgreSQL wakes the workers)."""
        return sql

    def add(self, new: NewDelivery) -> Delivery:
        d, at = self._dialect, self._dialect.bind_instant(new.created_at)
        insert = f"""INSERT INTO {TABLE} (webhook_id, event_id, event, payload, status,
                next_attempt_at, created_at, updated_at)
            VALUES ({d.marks(8)}) RETURNING *"""
        (added,) = self._deliveries(
            self._adding(insert, due=new.status is DeliveryStatus.PENDING),
            [
                new.webhook_id,
                new.event_id,
                new.event.value,
                new.payload.decode(),
                new.status.value,
                d.bind_instant(new.next_attempt_at),
                at,
                at,
            ],
        )
        return added

    def get(self, id: int) -> Delivery | None:
        found = self._deliveries(f"SELECT * FROM {TABLE} WHERE id = {self._dialect.mark}", [id])
        return found[0] if found else None

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        where, params = self._dialect.where(("webhook_id =", webhook_id), ("id <", before))
        sql = f"SELECT * FROM {TABLE} WHERE {where} ORDER BY id DESC LIMIT {self._dialect.mark}"
        return self._deliveries(sql, [*params, limit])

    def _changed(self, sql: str, params: Sequence[object], *, due: bool = True) -> int:
        """Run ``sql``, an UPDATE of this table, and return how many rows it changed.

        ``due``: the rows it changes may become due (PostgreSQL wakes the workers).
        """
        return int(self._run(sql, params).rowcount)

    def renew(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        if not ids:
            return 0
        d, m = self._dialect, self._dialect.mark
        term, chosen = d.any_of("id", list(ids))
        return self._changed(
            f"""UPDATE {TABLE} SET lease_expires_at = {m}
            WHERE {term} AND lease_owner = {m} AND status = 'in_flight'""",
            [d.bind_instant(lease_until), *chosen, owner],
            due=False,
        )

    def release(self, id: int, owner: str, now: datetime) -> None:
        m, at = self._dialect.mark, self._dialect.bind_instant(now)
        self._changed(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = {m}, {UNLEASED},
                updated_at = {m}
            WHERE id = {m} AND lease_owner = {m} AND status = 'in_flight'""",
            [at, at, id, owner],
        )

    def reschedule(
        self, id: int, *, status: DeliveryStatus, next_attempt_at: datetime | None, now: datetime
    ) -> None:
        d, m = self._dialect, self._dialect.mark
        self._changed(
            f"""UPDATE {TABLE} SET status = {m}, next_attempt_at = {m}, {UNLEASED},
                updated_at = {m} WHERE id = {m}""",
            [status.value, d.bind_instant(next_attempt_at), d.bind_instant(now), id],
            due=status is DeliveryStatus.PENDING,
        )

    def pause(self, webhook_id: int, now: datetime) -> int:
        m = self._dialect.mark
        return self._changed(
            f"""UPDATE {TABLE} SET status = 'paused', updated_at = {m}
            WHERE webhook_id = {m} AND status = 'pending'""",
            [self._dialect.bind_instant(now), webhook_id],
            due=False,
        )

    def resume(self, webhook_id: int, now: datetime) -> int:
        m, at = self._dialect.mark, self._dialect.bind_instant(now)
        return self._changed(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = {m}, updated_at = {m}
            WHERE webhook_id = {m} AND status = 'paused'""",
            [at, at, webhook_id],
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
        d, m, at = self._dialect, self._dialect.mark, self._dialect.bind_instant(now)
        others, skipped = d.none_of("event", sorted(e.value for e in skip))
        # NOTE: SQLite stores instants in one fixed-width spelling: text order is time order.
        return self._changed(
            f"""UPDATE {TABLE} SET status = 'pending', next_attempt_at = {m}, {UNLEASED},
                updated_at = {m}
            WHERE webhook_id = {m} AND status = 'failed' AND created_at >= {m}
                AND created_at <= {m}{others}""",
            [at, at, webhook_id, d.bind_instant(since), d.bind_instant(until), *skipped],
        )

    def next_due(self, exclude: Collection[int] = ()) -> datetime | None:
        others, excluded = self._dialect.none_of("webhook_id", list(exclude))
        # NOTE: PostgreSQL's partial index webhook_deliveries_1_due holds exactly these rows.
        row = self._run(
            f"SELECT min(next_attempt_at) FROM {TABLE} WHERE status = 'pending'{others}",
            excluded,
        ).fetchone()
        return self._dialect.read_moment(row[0]) if row else None

    def count(self, status: DeliveryStatus | None = None) -> int:
        if status is None:
            return count(self._run(f"SELECT count(*) FROM {TABLE}", []))
        sql = f"SELECT count(*) FROM {TABLE} WHERE status = {self._dialect.mark}"
        return count(self._run(sql, [status.value]))
