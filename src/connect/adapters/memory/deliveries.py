from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from attrs import evolve

from connect.adapters.memory.state import MemoryState, newest_first
from connect.domain.claims import fair_claim
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType
from connect.domain.time import truncate_to_second


class MemoryDeliveryStore:
    """Deliveries in memory; leases live beside them in ``state.leases``.

    Times are kept at second precision, as SQLite stores them, so both adapters order
    and compare the same way.
    """

    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, new: NewDelivery) -> Delivery:
        delivery = Delivery(
            id=self._state.next_id("deliveries"),
            webhook_id=new.webhook_id,
            event_id=new.event_id,
            event=new.event,
            payload=new.payload,
            status=new.status,
            attempt_count=0,
            next_attempt_at=_second(new.next_attempt_at),
            created_at=truncate_to_second(new.created_at),
            updated_at=truncate_to_second(new.created_at),
        )
        self._state.deliveries[delivery.id] = delivery
        return delivery

    def get(self, id: int) -> Delivery | None:
        return self._state.deliveries.get(id)

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        rows = (d for d in self._state.deliveries.values() if d.webhook_id == webhook_id)
        return newest_first(rows, limit=limit, before=before)

    def _due(self, delivery: Delivery, now: datetime) -> bool:
        if delivery.status is DeliveryStatus.PENDING:
            return delivery.next_attempt_at is not None and delivery.next_attempt_at <= now
        if delivery.status is DeliveryStatus.IN_FLIGHT:
            lease = self._state.leases.get(delivery.id)
            return lease is None or lease[1] <= now
        return False

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
        now = truncate_to_second(now)
        due = [d for d in self._state.deliveries.values() if self._due(d, now)]
        taken: list[Delivery] = []
        for delivery in fair_claim(due, limit=limit, per_webhook=per_webhook, room=room):
            claimed = evolve(delivery, status=DeliveryStatus.IN_FLIGHT, updated_at=now)
            self._state.deliveries[delivery.id] = claimed
            self._state.leases[delivery.id] = (owner, truncate_to_second(lease_until))
            taken.append(claimed)
        return taken

    def _leased_to(self, id: int, owner: str) -> bool:
        current, lease = self._state.deliveries.get(id), self._state.leases.get(id)
        return (
            current is not None
            and current.status is DeliveryStatus.IN_FLIGHT
            and lease is not None
            and lease[0] == owner
        )

    def renew(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        held = [id for id in ids if self._leased_to(id, owner)]
        for id in held:
            self._state.leases[id] = (owner, truncate_to_second(lease_until))
        return len(held)

    def record(
        self,
        id: int,
        attempt: Attempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        now: datetime,
    ) -> None:
        current = self._state.deliveries.get(id)
        if current is None or current.status is DeliveryStatus.CANCELLED:
            return
        stored = evolve(attempt, attempted_at=truncate_to_second(attempt.attempted_at))
        self._state.deliveries[id] = evolve(
            current,
            status=status,
            attempt_count=max(current.attempt_count, attempt.attempt),
            next_attempt_at=_second(next_attempt_at),
            updated_at=truncate_to_second(now),
            attempts=(*current.attempts, stored),
        )
        self._state.leases.pop(id, None)

    def release(self, id: int, owner: str, now: datetime) -> None:
        if self._leased_to(id, owner):
            self.reschedule(id, status=DeliveryStatus.PENDING, next_attempt_at=now, now=now)

    def reschedule(
        self, id: int, *, status: DeliveryStatus, next_attempt_at: datetime | None, now: datetime
    ) -> None:
        current = self._state.deliveries.get(id)
        if current is None:
            return
        self._state.deliveries[id] = evolve(
            current,
            status=status,
            next_attempt_at=_second(next_attempt_at),
            updated_at=truncate_to_second(now),
        )
        self._state.leases.pop(id, None)

    def _with_status(self, webhook_id: int, status: DeliveryStatus) -> Sequence[Delivery]:
        return [
            d
            for d in self._state.deliveries.values()
            if d.webhook_id == webhook_id and d.status is status
        ]

    def _move(self, moved: Sequence[Delivery], target: DeliveryStatus, now: datetime) -> int:
        for delivery in moved:
            due = now if target is DeliveryStatus.PENDING else delivery.next_attempt_at
            self.reschedule(delivery.id, status=target, next_attempt_at=due, now=now)
        return len(moved)

    def pause(self, webhook_id: int, now: datetime) -> int:
        return self._move(
            self._with_status(webhook_id, DeliveryStatus.PENDING), DeliveryStatus.PAUSED, now
        )

    def resume(self, webhook_id: int, now: datetime) -> int:
        return self._move(
            self._with_status(webhook_id, DeliveryStatus.PAUSED), DeliveryStatus.PENDING, now
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
        since, until = truncate_to_second(since), truncate_to_second(until)
        found = [
            d
            for d in self._with_status(webhook_id, DeliveryStatus.FAILED)
            if d.event not in skip and since <= d.created_at <= until
        ]
        return self._move(found, DeliveryStatus.PENDING, now)

    def next_due(self, exclude: Collection[int] = ()) -> datetime | None:
        times = [
            d.next_attempt_at
            for d in self._state.deliveries.values()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at is not None
            and d.webhook_id not in exclude
        ]
        return min(times, default=None)

    def count(self, status: DeliveryStatus | None = None) -> int:
        return sum(
            1 for d in self._state.deliveries.values() if status is None or d.status is status
        )


def _second(moment: datetime | None) -> datetime | None:
    return truncate_to_second(moment) if moment is not None else None
