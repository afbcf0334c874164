"""The worker's daily purge: retention runs beside delivery, on its own thread, so a
long purge never holds up a claim and the claim loop needs no knowledge of it."""

from __future__ import annotations

import logging
import threading
import time

from connect.services.personal_data import PersonalDataService

log = logging.getLogger("connect.retention")

DAY_SECONDS = 86400.0


class DailyPurge:
    """Purges once ``first_delay`` seconds after ``start()`` (letting a starting process
    settle), then every ``interval`` seconds (a day), until ``stop()`` or the end of the
    ``companion`` thread (the embedded worker's).
    """

    def __init__(
        self,
        personal_data: PersonalDataService,
        *,
        interval: float = DAY_SECONDS,
        first_delay: float = 60.0,
        companion: threading.Thread | None = None,
    ) -> None:
        self._companion = companion
        self._personal_data = personal_data
        self._interval = interval
        self._first_delay = first_delay
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0

    def start(self) -> None:
        """Run in a daemon thread until ``stop()``."""
        self._thread = threading.Thread(target=self._run, name="connect-purge", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _sleep(self, seconds: float) -> bool:
        """Wait ``seconds``; ``True`` when it is time to stop instead."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self._stopping.wait(min(left, 1.0)):
                return True
            if self._companion is not None and not self._companion.is_alive():
                return True
        return self._stopping.is_set()

    def _run(self) -> None:
        wait = self._first_delay
        while not self._sleep(wait):
            try:
                self._personal_data.purge()
            except Exception:
                # NOTE: a failed purge (a locked file, a full disk) must not stop
                # delivery; the next day's run tries again.
                log.exception("the daily purge failed; retrying in %g s", self._interval)
            self.runs += 1
            wait = self._interval
