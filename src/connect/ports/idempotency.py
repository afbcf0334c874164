"""Remembered creations, for requests retried with the same ``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from connect.domain.idempotency import IdempotencyRecord


class IdempotencyStore(Protocol):
    def find(self, api_key_id: int, key: str) -> IdempotencyRecord | None:
        """The record of ``key`` sent by API key ``api_key_id``, or ``None``."""
        ...

    def add(self, record: IdempotencyRecord) -> None:
        """Remember a creation.

        Raises:
            Conflict: that API key already has a record for that idempotency key.
        """
        ...

    def purge(self, before: datetime) -> int:
        """Forget records created before ``before``; returns how many."""
        ...
