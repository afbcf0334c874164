"""Deliveries in ``webhook_deliveries_1`` and their attempts in ``webhook_attempts_1``:
what both SQL engines do the same way (claims and leases are each engine's own)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect, Run, count, dicts
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.events import EventType

TABLE: Final = "webhook_deliveries_1"
ATTEMPTS: Final = "webhook_attempts_1"


class SqlDeliveryStore:
    """Deliveries over one connection."""

    def __init__(self, run: Run, dialect: Dialect) -> None:
        self._run = run
        self._dialect = dialect

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

    def get(self, id: int) -> Delivery | None:
        found = self._deliveries(f"SELECT * FROM {TABLE} WHERE id = {self._dialect.mark}", [id])
        return found[0] if found else None

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        m = self._dialect.mark
        where, params = f"webhook_id = {m}", [webhook_id]
        if before is not None:
            where, params = f"{where} AND id < {m}", [webhook_id, before]
        sql = f"SELECT * FROM {TABLE} WHERE {where} ORDER BY id DESC LIMIT {m}"
        return self._deliveries(sql, [*params, limit])

    def pause(self, webhook_id: int, now: datetime) -> int:
        m = self._dialect.mark
        cursor = self._run(
            f"""UPDATE {TABLE} SET status = 'paused', updated_at = {m}
            WHERE webhook_id = {m} AND status = 'pending'""",
            [self._dialect.bind_instant(now), webhook_id],
        )
        return int(cursor.rowcount)

    def count(self, status: DeliveryStatus | None = None) -> int:
        if status is None:
            return count(self._run(f"SELECT count(*) FROM {TABLE}", []))
        sql = f"SELECT count(*) FROM {TABLE} WHERE status = {self._dialect.mark}"
        return count(self._run(sql, [status.value]))
