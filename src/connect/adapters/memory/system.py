"""A clock tests can move and a seeded random source."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds, **delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class FixedEntropy:
    """Deterministic randomness from a seed. Never use outside tests."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def choice(self, alphabet: str) -> str:
        with self._lock:
            return self._random.choice(alphabet)

    def token_bytes(self, count: int) -> bytes:
        with self._lock:
            return self._random.randbytes(count)
