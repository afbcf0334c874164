"""The real clock and the operating system's randomness."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SecretsEntropy:
    def choice(self, alphabet: str) -> str:
        return secrets.choice(alphabet)

    def token_bytes(self, count: int) -> bytes:
        return secrets.token_bytes(count)
