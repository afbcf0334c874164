"""Sending e-mail (the alerts to organizers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Mailer(Protocol):
    def send(self, recipients: Sequence[str], subject: str, body: str) -> None:
        """Send one plain-text message, within a bounded time.

        Raises:
            OSError: the server could not be reached in time, or refused the message.
        """
        ...
