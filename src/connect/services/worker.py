"""The delivery worker: claims due deliveries and attempts them on a thread pool.

One slow or dead endpoint cannot delay the others. The pool is large (threads waiting
on a socket cost little); each endpoint has slots it earns by answering quickly
(``connect.domain.slots``: one to start, doubled by a quick answer up to the cap, halved
by a slow attempt), so an endpoint that hangs holds one thread, not the pool; claims go
round-robin over endpoints (``connect.domain.claims``) and never take more of an
endpoint's deliveries than it has room for; and each endpoint has a pace (``rate``
attempts a second).
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from connect.domain.deliveries import Delivery
from connect.domain.pacing import Pacer
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


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class DeliveryWorker:
    """Delivers webhooks until stopped.

    Args:
        deliveries: claims and attempts.
        concurrency: threads, that is attempts in flight at once.
        per_endpoint: the most attempts in flight at once to one webhook (its cap); a
            webhook earns these slots by answering (see ``connect.domain.slots``).
        slow_seconds: an attempt this long or longer halves its webhook's slots.
        rate: attempts a second to one webhook (0 = no limit).
        poll_seconds: how often to look (a read) for due work when nobody wakes the
            worker (retries falling due, events committed by other processes).
        sweep_seconds: how often to claim regardless (expired leases of dead workers).
        lease_seconds: how long a claim lasts before another worker may take it over;
            while the worker runs it renews the leases it holds every
            ``heartbeat_seconds`` (a third of the lease by default), so a send longer
            than the lease is not taken over; a dead worker's leases simply expire.
        monotonic: the pacing clock.
        pace: a rate limiter shared with the other workers (PostgreSQL); when given,
            the pace holds across all of them (``pace_quota(rate)`` per webhook)
            instead of within this worker alone.
    """

    def __init__(
        self,
        deliveries: DeliveryService,
        *,
        concurrency: int = CONCURRENCY,
        per_endpoint: int | None = None,
        slow_seconds: float = SLOW_SECONDS,
        rate: float = 10,
        poll_seconds: float = 0.05,
        sweep_seconds: float = 1.0,
        lease_seconds: int = 60,
        heartbeat_seconds: float | None = None,
        name: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        pace: RateLimiter | None = None,
    ) -> None:
        self._deliveries = deliveries
        self.concurrency = max(1, concurrency)
        self.per_endpoint = per_endpoint or max(1, min(PER_ENDPOINT, self.concurrency // 2))
        self.slow_seconds = slow_seconds
        self._pacer = Pacer(rate)
        self._pace = pace if rate > 0 else None
        self._pace_quota = pace_quota(rate) if rate > 0 else None
        self._poll = poll_seconds
        self._sweep = sweep_seconds
        self._lease = lease_seconds
        self._heartbeat = heartbeat_seconds if heartbeat_seconds is not None else lease_seconds / 3
        self.name = name or worker_name()
        self._monotonic = monotonic
        self._wake = threading.Event()
        self._stopping = threading.Event()
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

    def wake(self) -> None:
        """Look for due work now (called when an event commits in this process)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming; ``run`` then finishes in-flight attempts and returns."""
        self._stopping.set()
        self._wake.set()

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

    def run(self) -> None:
        """Deliver until ``stop()``; then release queued claims and wait for the
        attempts in flight (at most the send timeout)."""
        last_sweep = float("-inf")
        beating = threading.Thread(target=self._beat, name="connect-heartbeat", daemon=True)
        beating.start()
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="connect-delivery") as pool:
            while not self._stopping.is_set():
                woken = self._wake.is_set()
                self._wake.clear()
                claimed = 0
                try:
                    # NOTE: between wake-ups a cheap read asks whether anything is due;
                    # the claim (a write) runs when it is, when woken, and once per
                    # sweep to take over leases of workers that died.
                    now = self._monotonic()
                    if woken or now - last_sweep >= self._sweep or self._due():
                        last_sweep = now if not woken else last_sweep
                        claimed = self._claim()
                except Exception:
                    log.exception("claiming deliveries failed; retrying")
                wait = self._dispatch(pool)
                if claimed and not self._stopping.is_set() and self._room() > 0:
                    continue
                self._wake.wait(min(self._poll, wait) if wait is not None else self._poll)
            self._release_queued()
        beating.join()
        log.info("delivery worker %s stopped", self.name, extra={"worker": self.name})

    def heartbeat(self) -> int:
        """Renew the leases of the deliveries this worker holds (queued or being
        attempted); returns how many were renewed."""
        with self._lock:
            held = set(self._attempting)
            held.update(d.id for q in self._queued.values() for d in q)
        return self._deliveries.renew(held, self.name, lease_seconds=self._lease)

    def _beat(self) -> None:
        # NOTE: its own thread, so a claim or dispatch loop that is busy (or a send
        # that hangs) never delays a renewal; it stops with the worker.
        while not self._stopping.wait(self._heartbeat):
            try:
                self.heartbeat()
            except Exception:
                log.exception("renewing leases failed; retrying")

    def _due(self) -> bool:
        if self._room() <= 0:
            return False
        # NOTE: an endpoint at its cap has no room for its due deliveries: they must
        # not make every poll claim (a write) for nothing while it is busy.
        with self._lock:
            full = {
                w
                for w in self._in_flight.keys() | self._queued.keys()
                if self._held(w) >= self._slots_of(w)
            }
        due_in = self._deliveries.next_due_in(full)
        return due_in is not None and due_in <= 0

    def _room(self) -> int:
        with self._lock:
            busy = sum(self._in_flight.values()) + sum(len(q) for q in self._queued.values())
        return self.concurrency - busy

    def _claim(self) -> int:
        free = self._room()
        if free <= 0:
            return 0
        with self._lock:
            room = {
                w: max(0, self._slots_of(w) - self._held(w))
                for w in self._slots.keys() | self._in_flight.keys() | self._queued.keys()
            }
        claimed = self._deliveries.claim(
            self.name,
            limit=free,
            per_webhook=min(STARTING_SLOTS, self.per_endpoint),
            room=room,
            lease_seconds=self._lease,
        )
        with self._lock:
            for delivery in claimed:
                self._queued.setdefault(delivery.webhook_id, deque()).append(delivery)
        return len(claimed)

    def _dispatch(self, pool: ThreadPoolExecutor) -> float | None:
        """Start every queued attempt its endpoint has room and pace for; returns how
        long until a paced one may start (``None`` if none waits on pace)."""
        soonest: float | None = None
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
                    pool.submit(self._attempt, delivery)
                if not queue:
                    del self._queued[webhook_id]
        return soonest

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

    def _attempt(self, delivery: Delivery) -> None:
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
            self._wake.set()

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

    def _release_queued(self) -> None:
        with self._lock:
            queued = [d for q in self._queued.values() for d in q]
            self._queued.clear()
        for delivery in queued:
            try:
                self._deliveries.release(delivery, self.name)
            except Exception:
                log.exception("could not release delivery %s", delivery.id)
