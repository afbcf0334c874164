"""Storage of API keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from connect.domain.keys import ApiKey, NewApiKey
from connect.domain.mode import Mode


class KeyStore(Protocol):
    def add(self, new: NewApiKey) -> ApiKey:
        """Store a new key.

        Raises:
            Conflict: a key with the same ``key_id`` exists.
        """
        ...

    def get(self, id: int) -> ApiKey | None: ...

    def find(self, key_id: str) -> ApiKey | None:
        """The key with this public ``key_id``, or ``None``."""
        ...

    def list(
        self, *, limit: int, before: int | None = None, mode: Mode | None = None
    ) -> Sequence[ApiKey]:
        """Up to ``limit`` keys, newest first, ids below ``before``, of ``mode`` when
        given."""
        ...

    def save(self, key: ApiKey) -> None:
        """Overwrite a key's mutable fields (name, revoked_at, last_used_at)."""
        ...

    def touch(self, id: int, at: datetime) -> None:
        """Set ``last_used_at`` only (a concurrent revocation is never overwritten)."""
        ...

    def count(self) -> int: ...
