"""Sending one signed webhook request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from attrs import frozen


@frozen
class SendResult:
    """What one attempt saw. ``status_code`` is ``None`` when no answer came (refused
    address, DNS, TLS, timeout); ``error`` then says why."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    response_snippet: str | None = None
    retry_after: str | None = None


class WebhookSender(Protocol):
    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        """POST ``body`` to ``url``; never raises for network trouble."""
        ...
