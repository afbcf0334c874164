"""E-mail alerts to organizers, sent from a thread of their own.

``notify`` is called by the delivery worker after a transaction that raised
operational events has committed. It never blocks: messages wait in a bounded queue
and one thread sends them, so a slow or absent mail server holds up neither a
delivery nor a database transaction. Alerts are best effort: a failed send is logged
(never with the server's password), a full queue drops the newest, and messages still
queued when the process stops are lost (the events themselves stay deliverable to
subscribed webhooks).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence

from connect.domain.alerts import Alert, alert_for
from connect.domain.events import Event
from connect.ports.mail import Mailer

log = logging.getLogger("connect.alerts")


class AlertMail:
    """Mails ``recipients`` an alert for every operational event that needs a person.

    Args:
        mailer: sends one message (bounded by its own timeout).
        recipients: the organizers' addresses (``CONNECT_ALERT_EMAIL``).
        capacity: messages that may wait; more are dropped (and logged).
    """

    def __init__(self, mailer: Mailer, recipients: Sequence[str], *, capacity: int = 100) -> None:
        self._mailer = mailer
        self._recipients = tuple(recipients)
        self._queue: queue.Queue[Alert | None] = queue.Queue(maxsize=capacity)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.sent = 0
        self.failed = 0

    def notify(self, events: Sequence[Event]) -> None:
        """Queue the alerts of ``events``; returns at once."""
        for event in events:
            alert = alert_for(event)
            if alert is None:
                continue
            self._start()
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                log.warning(
                    "alert dropped, %d already waiting: %s", self._queue.qsize(), alert.subject
                )

    def _start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="connect-alerts", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            alert = self._queue.get()
            try:
                if alert is None:
                    return
                self._send(alert)
            finally:
                self._queue.task_done()

    def _send(self, alert: Alert) -> None:
        try:
            self._mailer.send(self._recipients, alert.subject, alert.body)
        except Exception as e:
            self.failed += 1
            # NOTE: the type and message only: no URL, so no password, in the log.
            log.warning("alert not sent (%s: %s): %s", type(e).__name__, e, alert.subject)
            return
        self.sent += 1
        log.info("alert sent to %d recipients: %s", len(self._recipients), alert.subject)

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until the queue is empty (tests, shutdown); ``False`` on timeout."""
        finished = threading.Event()

        def join() -> None:
            self._queue.join()
            finished.set()

        threading.Thread(target=join, daemon=True).start()
        return finished.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Send what is queued (up to ``timeout``), then stop the thread."""
        with self._lock:
            thread = self._thread
        if thread is None:
            return
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        thread.join(timeout)
