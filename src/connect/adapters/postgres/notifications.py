"""Wake-ups from PostgreSQL: ``LISTEN connect_deliveries`` on a connection of its own.

The delivery store sends ``NOTIFY connect_deliveries`` whenever it makes a delivery due
(``connect.adapters.postgres.claiming``); PostgreSQL delivers it at commit to every
listening session, in every process. A worker woken this way starts claiming within
milliseconds of the commit, so its polling is only the fallback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

from connect.adapters.postgres.claiming import CHANNEL

log = logging.getLogger("connect.delivery")

#: The first and the longest wait between two attempts to reconnect.
FIRST_BACKOFF = 0.1
MAX_BACKOFF = 5.0


class DeliveryListener:
    """Calls ``wake`` for each notification, from a daemon thread, until ``stop()``.

    Args:
        url: the database to listen to (its own connection, outside the pool: a
            listening session must stay open).
        wake: called for each notification, and once on every (re)connection, since
            notifications sent while disconnected are lost. It must not block.
        where: the database, as messages may name it (no password).
        check_seconds: how often the thread looks whether it should stop.
    """

    def __init__(
        self,
        url: str,
        wake: Callable[[], None],
        *,
        where: str = "the PostgreSQL database",
        check_seconds: float = 0.25,
    ) -> None:
        self._url = url
        self._wake = wake
        self._where = where
        self._check = check_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.backend_pid: int | None = None
        self.listening = threading.Event()
        self.notifications = 0
        self.connections = 0

    def start(self) -> DeliveryListener:
        """Start listening (in the background); returns ``self``."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="connect-listen", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close the connection (waits for the thread briefly)."""
        self._stopping.set()
        thread = self._thread
        if thread is not None:
            thread.join(self._check + 5)

    def _run(self) -> None:
        backoff = FIRST_BACKOFF
        while not self._stopping.is_set():
            try:
                self._listen()
                backoff = FIRST_BACKOFF
            except psycopg.Error as e:
                self.listening.clear()
                if self._stopping.is_set():
                    break
                reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                log.warning(
                    "listening for deliveries on %s stopped (%s); reconnecting in %.1f s",
                    self._where,
                    reason,
                    backoff,
                    extra={"backoff_seconds": backoff},
                )
                self._stopping.wait(backoff)
                backoff = min(MAX_BACKOFF, backoff * 2)
        self.listening.clear()

    def _listen(self) -> None:
        with psycopg.connect(self._url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.backend_pid = conn.info.backend_pid
            self.connections += 1
            self.listening.set()
            self._wake()
            while not self._stopping.is_set():
                # NOTE: the generator ends after the timeout, so stop() is noticed.
                for _ in conn.notifies(timeout=self._check):
                    self.notifications += 1
                    self._wake()
