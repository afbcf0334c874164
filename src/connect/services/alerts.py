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
from collections.abc import Sequence

from connect.domain.alerts import Alert, alert_for
from connect.domain.events import Event
from connect.ports.mail import Mailer
from connect.services.handoff import Handoff

log = logging.getLogger("connect.alerts")


class AlertMail:
    """Mails ``recipients`` (the organizers' addresses, ``CONNECT_ALERT_EMAIL``) an alert
    for every operational event that needs a person."""

    def __init__(self, mailer: Mailer, recipients: Sequence[str]) -> None:
        self._mailer = mailer
        self._recipients = tuple(recipients)
        # NOTE: one alert at a time, so at most 100 wait besides the one being sent;
        # more are dropped (and logged).
        self._outgoing = Handoff(
            self._send, name="connect-alerts", interval=0.1, capacity=100, batch=1
        )
        self.sent = 0
        self.failed = 0

    def notify(self, events: Sequence[Event]) -> None:
        """Queue the alerts of ``events``; returns at once."""
        for event in events:
            alert = alert_for(event)
            if alert is not None and not self._outgoing.put(alert):
                log.warning(
                    "alert dropped, %d already waiting: %s",
                    len(self._outgoing.pending),
                    alert.subject,
                )

    def _send(self, alerts: list[Alert]) -> None:
        (alert,) = alerts
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
        return self._outgoing.flush(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Send what is queued (up to ``timeout``), then stop the thread."""
        self._outgoing.close(timeout)
