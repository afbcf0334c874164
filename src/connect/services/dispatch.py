"""Delivery dispatch: which due deliveries a worker claims, which it starts, and what an
attempt teaches it about the endpoint. It decides; the threads that carry the attempts
out are the worker's (``connect.adapters.system.worker``).

One slow or dead endpoint cannot delay the others: each has the slots it earned
(``connect.domain.slots``), so one that hangs holds one thread, not the pool; claims go
round-robin over endpoints (``connect.domain.claims``) and never take more of one's
deliveries than it has room for; and each has a pace (``rate`` attempts a second).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from connect.domain.deliveries import Delivery
from connect.domain.pacing import DELIVERIES_PER_SECOND, Pacer
from connect.domain.rate_limit import Quota
from connect.domain.slots import STARTING_SLOTS, slots_after
from connect.ports.rate_limit import RateLimiter
from connect.services.delivery import DeliveryService

log = logging.getLogger("connect.delivery")

CONCURRENCY = 64
PER_ENDPOINT = 4
SLOW_SECONDS = 2.0


def pace_quota(rate: float) -> Quota:
    """The ``delivery`` quota of at most ``rate`` attempts a second to one webhook, in
    whole numbers (a fractional rate rounds down, never up: 2.5/s allows 2 a second)."""
    window = max(1, math.ceil(1 / rate)) if rate < 1 else 1
    return Quota("delivery", max(1, math.floor(rate * window)), window)


class DeliveryDispatch:
    """The decisions of one delivery worker, safe to call from its threads.

    Args:
        name: the worker's name, written on its claims (leases).
        concurrency: attempts in flight at once.
        per_endpoint: the cap on a webhook's slots (attempts in flight at once).
        slow_seconds: an attempt this long or longer halves its webhook's slots.
        rate: attempts a second to one webhook (0 = no limit).
        lease_seconds: how long a claim lasts before another worker may take it over
            (``heartbeat()`` renews the leases held).
        pace: a rate limiter shared with the other workers (PostgreSQL); when given,
            the pace holds across all of them (``pace_quota(rate)`` per webhook)
            instead of within this worker alone.
    """

    def __init__(
        self,
        deliveries: DeliveryService,
        name: str,
        *,
        concurrency: int = CONCURRENCY,
        per_endpoint: int | None = None,
        slow_seconds: float = SLOW_SECONDS,
        rate: float = DELIVERIES_PER_SECOND,
        lease_seconds: int = 60,
        monotonic: Callable[[], float] = time.monotonic,
        pace: RateLimiter | None = None,
    ) -> None:
        self._deliveries = deliveries
        self.name = name
        self.concurrency = max(1, concurrency)
        self.per_endpoint = per_endpoint or max(1, min(PER_ENDPOINT, self.concurrency // 2))
        self.slow_seconds = slow_seconds
        self._pacer = Pacer(rate)
        self._pace = pace if rate > 0 else None
        self._pace_quota = pace_quota(rate) if rate > 0 else None
        self._lease = lease_seconds
        self._monotonic = monotonic
        # NOTE: attempts end on the worker's threads; one lock keeps the books.
        self._lock = threading.Lock()
        self._in_flight: dict[int, int] = {}
        self._attempting: set[int] = set()
        self._queued: dict[int, deque[Delivery]] = {}
        self._slots: dict[int, int] = {}
        self.attempts = 0

    def slots(self, webhook_id: int) -> int:
        """Attempts to this webhook that may be in flight at once, as earned so far."""
        with self._lock:
            return self._slots_of(webhook_id)

    def _slots_of(self, webhook_id: int) -> int:
        return min(self.per_endpoint, self._slots.get(webhook_id, STARTING_SLOTS))

    def _held(self, webhook_id: int) -> int:
        return self._in_flight.get(webhook_id, 0) + len(self._queued.get(webhook_id, ()))

    def _endpoint_room(self) -> dict[int, int]:
        """How many more deliveries of each webhook it knows this worker may hold."""
        with self._lock:
            known = self._slots.keys() | self._in_flight.keys() | self._queued.keys()
            return {w: max(0, self._slots_of(w) - self._held(w)) for w in known}

    def run_once(self) -> int:
        """Claim everything due now and attempt it here, one by one (no threads).
        Returns the number of attempts made. For tests and one-shot use."""
        made = 0
        while True:
            claimed = self._deliveries.claim(
                self.name, limit=100, per_webhook=100, lease_seconds=self._lease
            )
            if not claimed:
                return made
            for delivery in claimed:
                if self._deliveries.attempt(delivery) is not None:
                    made += 1

    def heartbeat(self) -> int:
        """Renew the leases of the deliveries this worker holds (queued or being
        attempted); returns how many were renewed."""
        with self._lock:
            held = set(self._attempting)
            held.update(d.id for q in self._queued.values() for d in q)
        return self._deliveries.renew(held, self.name, lease_seconds=self._lease)

    def due(self) -> bool:
        """Whether a delivery is due that some endpoint has room for (one read)."""
        if self.room() <= 0:
            return False
        # NOTE: an endpoint at its cap has no room for its due deliveries: they must
        # not make every poll claim (a write) for nothing while it is busy.
        full = {w for w, room in self._endpoint_room().items() if room == 0}
        due_in = self._deliveries.next_due_in(full)
        return due_in is not None and due_in <= 0

    def room(self) -> int:
        """Attempts this worker may still take on (in flight or queued)."""
        with self._lock:
            busy = sum(self._in_flight.values()) + sum(len(q) for q in self._queued.values())
        return self.concurrency - busy

    def claim(self) -> int:
        """Claim due deliveries up to the room each endpoint has; returns how many."""
        free = self.room()
        if free <= 0:
            return 0
        claimed = self._deliveries.claim(
            self.name,
            limit=free,
            per_webhook=min(STARTING_SLOTS, self.per_endpoint),
            room=self._endpoint_room(),
            lease_seconds=self._lease,
        )
        with self._lock:
            for delivery in claimed:
                self._queued.setdefault(delivery.webhook_id, deque()).append(delivery)
        return len(claimed)

    def startable(self) -> tuple[list[Delivery], float | None]:
        """Take every queued delivery its endpoint has room and pace for, counted in
        flight from now; and how long until a paced one may start (``None`` if none
        waits on pace). Each must then go to ``attempt``."""
        soonest: float | None = None
        starting: list[Delivery] = []
        with self._lock:
            for webhook_id, queue in list(self._queued.items()):
                while queue and self._in_flight.get(webhook_id, 0) < self._slots_of(webhook_id):
                    now = self._monotonic()
                    wait = self._paced(webhook_id, now)
                    if wait > 0:
                        soonest = wait if soonest is None else min(soonest, wait)
                        break
                    delivery = queue.popleft()
                    self._in_flight[webhook_id] = self._in_flight.get(webhook_id, 0) + 1
                    self._attempting.add(delivery.id)
                    starting.append(delivery)
                if not queue:
                    del self._queued[webhook_id]
        return starting, soonest

    def _paced(self, webhook_id: int, now: float) -> float:
        """Take a start for ``webhook_id`` if its pace allows one now (returns 0), else
        the seconds to wait."""
        if self._pace is not None and self._pace_quota is not None:
            try:
                pace = self._pace.acquire([(self._pace_quota, str(webhook_id))])[0]
                return 0.0 if pace.allowed else float(pace.retry_after)
            except Exception as e:
                # NOTE: the database is out of reach (claims fail too): pace this
                # worker's own attempts meanwhile rather than stall or run unpaced.
                log.warning("shared delivery pace unavailable, pacing locally: %s", e)
        wait = self._pacer.wait(webhook_id, now)
        if wait <= 0:
            self._pacer.take(webhook_id, now)
        return wait

    def attempt(self, delivery: Delivery) -> None:
        """Attempt a delivery ``startable`` gave out, and learn from how long it took
        (its endpoint's slots). Never raises: a failed attempt's lease expires."""
        started = self._monotonic()
        try:
            made = self._deliveries.attempt(delivery)
            took = self._monotonic() - started
            with self._lock:
                self.attempts += 1
                if made is not None:
                    self._earn(delivery.webhook_id, took)
        except Exception:
            log.exception(
                "delivery %s failed unexpectedly; its lease will expire and it is retried",
                delivery.id,
                extra={"delivery_id": delivery.id, "webhook_id": delivery.webhook_id},
            )
        finally:
            with self._lock:
                self._attempting.discard(delivery.id)
                left = self._in_flight.get(delivery.webhook_id, 1) - 1
                if left > 0:
                    self._in_flight[delivery.webhook_id] = left
                else:
                    self._in_flight.pop(delivery.webhook_id, None)

    def _earn(self, webhook_id: int, took: float) -> None:
        before = self._slots_of(webhook_id)
        slots = slots_after(before, self.per_endpoint, took, self.slow_seconds)
        if slots < before:
            log.info(
                "webhook %s is slow (%.1f s): %d attempts at once until it answers quickly",
                webhook_id,
                took,
                slots,
                extra={"webhook_id": webhook_id, "slots": slots, "duration_ms": int(took * 1000)},
            )
        # NOTE: an endpoint back at the starting slots is like one never seen: forget
        # it, so the table only holds endpoints that answered quickly or are slow.
        if slots == STARTING_SLOTS:
            self._slots.pop(webhook_id, None)
        else:
            self._slots[webhook_id] = slots

    def release_queued(self) -> None:
        """Give back the claims not started yet (the worker is stopping)."""
        with self._lock:
            queued = [d for q in self._queued.values() for d in q]
            self._queued.clear()
        for delivery in queued:
            try:
                self._deliveries.release(delivery, self.name)
            except Exception:
                log.exception("could not release delivery %s", delivery.id)
