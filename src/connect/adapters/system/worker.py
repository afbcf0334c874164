"""The delivery worker's threads: a pool that carries out the attempts its dispatch
decides on (``connect.services.dispatch``), a heartbeat that renews its leases, and a
wake-up for work committed now. The pool is large: threads waiting on a socket cost
little, and an endpoint's slots keep one that hangs to a few of them."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from connect.domain.deliveries import Delivery
from connect.services.delivery import DeliveryService
from connect.services.dispatch import DeliveryDispatch

log = logging.getLogger("connect.delivery")


class DeliveryWorker(DeliveryDispatch):
    """Delivers webhooks until stopped.

    Args:
        poll_seconds: how often to look (a read) for due work when nobody wakes the
            worker (retries falling due, events committed by other processes).
        sweep_seconds: how often to claim regardless (expired leases of dead workers).
        heartbeat_seconds: how often to renew the leases held (a third of
            ``lease_seconds`` by default), so a send longer than the lease is not taken
            over; a dead worker's leases simply expire.
        name: the worker's name on its claims (by default host, pid and a random
            suffix: a name no other worker has).
        dispatch: the rest of ``DeliveryDispatch``'s settings; ``concurrency`` is the
            pool's size.
    """

    def __init__(
        self,
        deliveries: DeliveryService,
        *,
        poll_seconds: float = 0.05,
        sweep_seconds: float = 1.0,
        heartbeat_seconds: float | None = None,
        name: str | None = None,
        **dispatch: Any,
    ) -> None:
        name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        super().__init__(deliveries, name, **dispatch)
        self._poll = poll_seconds
        self._sweep = sweep_seconds
        self._heartbeat = heartbeat_seconds if heartbeat_seconds is not None else self._lease / 3
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        """Look for due work now (called when an event commits in this process)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming; ``run`` then finishes in-flight attempts and returns."""
        self._stopping.set()
        self._wake.set()

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
                    if woken or now - last_sweep >= self._sweep or self.due():
                        last_sweep = now if not woken else last_sweep
                        claimed = self.claim()
                except Exception:
                    log.exception("claiming deliveries failed; retrying")
                starting, wait = self.startable()
                for delivery in starting:
                    pool.submit(self._attempt_and_wake, delivery)
                if claimed and not self._stopping.is_set() and self.room() > 0:
                    continue
                self._wake.wait(min(self._poll, wait) if wait is not None else self._poll)
            self.release_queued()
        beating.join()
        log.info("delivery worker %s stopped", self.name, extra={"worker": self.name})

    def _attempt_and_wake(self, delivery: Delivery) -> None:
        try:
            self.attempt(delivery)
        finally:
            # NOTE: a finished attempt frees a slot: look again for what waited on it.
            self._wake.set()

    def _beat(self) -> None:
        # NOTE: its own thread, so a claim or dispatch loop that is busy (or a send
        # that hangs) never delays a renewal; it stops with the worker.
        while not self._stopping.wait(self._heartbeat):
            try:
                self.heartbeat()
            except Exception:
                log.exception("renewing leases failed; retrying")
