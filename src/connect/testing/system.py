"""Time and randomness that tests control: a clock that moves when told to (in this
process, or through a file for a server in another one) and a seeded random source."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        """Move forward by ``seconds`` and any ``timedelta`` arguments (``hours=1``)."""
        with self._lock:
            self._now += timedelta(seconds=seconds, **delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class FileClock:
    """The instant written in a file (ISO 8601, e.g. ``2026-02-06T13:57:40Z``), read
    afresh on every call: a test moves a server in another process by rewriting it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def now(self) -> datetime:
        moment = datetime.fromisoformat(self.path.read_text().strip())
        if moment.tzinfo is None:
            raise ValueError(f"{self.path} holds {moment}, an instant without a time zone")
        return moment.astimezone(UTC)

    def set(self, moment: datetime) -> None:
        """Move the clock (for a test, which shares the file with the server)."""
        self.path.write_text(moment.isoformat())

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        moment = self.now() + timedelta(seconds=seconds, **delta)
        self.set(moment)
        return moment


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
