"""Time and randomness, injected so the core stays deterministic under test."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class Entropy(Protocol):
    def choice(self, alphabet: str) -> str:
        """One character of ``alphabet``, uniformly and unpredictably chosen."""
        ...

    def token_bytes(self, count: int) -> bytes:
        """``count`` unpredictable bytes."""
        ...
