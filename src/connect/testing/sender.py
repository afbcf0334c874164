"""A sender that records requests instead of sending them, with scripted answers."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping

from attrs import frozen

from connect.ports.sender import SendResult

OK = SendResult(status_code=200, duration_ms=1, response_snippet="ok")


@frozen
class SentRequest:
    url: str
    body: bytes
    headers: dict[str, str]


class RecordingSender:
    """Records every request in ``sent``; answers with the scripted results queued for
    the URL (``answer(url, ...)``), else ``default``."""

    def __init__(self, default: SendResult = OK) -> None:
        self.default = default
        self.sent: list[SentRequest] = []
        self._script: dict[str, deque[SendResult]] = {}
        self._lock = threading.Lock()

    def answer(self, url: str, *results: SendResult | int) -> None:
        """Queue answers for ``url`` (an int is a bare status code)."""
        queued = self._script.setdefault(url, deque())
        for result in results:
            queued.append(
                SendResult(status_code=result, duration_ms=1) if isinstance(result, int) else result
            )

    def send(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        with self._lock:
            self.sent.append(SentRequest(url, body, dict(headers)))
            queued = self._script.get(url)
            return queued.popleft() if queued else self.default

    def to(self, url: str) -> list[SentRequest]:
        with self._lock:
            return [s for s in self.sent if s.url == url]
