from __future__ import annotations

from datetime import datetime

from connect.adapters.memory.state import MemoryState
from connect.domain.errors import Conflict, NotFound
from connect.domain.idempotency import IdempotencyRecord


class MemoryIdempotencyStore:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def find(self, api_key_id: int, key: str) -> IdempotencyRecord | None:
        return self._state.idempotency.get((api_key_id, key))

    def add(self, record: IdempotencyRecord) -> None:
        slot = (record.api_key_id, record.key)
        if slot in self._state.idempotency:
            raise Conflict(f"Idempotency-Key {record.key!r} is already recorded")
        if record.api_key_id not in self._state.keys:
            raise NotFound(f"no API key with id {record.api_key_id}")
        if record.submission_id not in self._state.submissions:
            raise NotFound(f"no submission {record.submission_id}")
        self._state.idempotency[slot] = record

    def purge(self, before: datetime) -> int:
        old = [slot for slot, r in self._state.idempotency.items() if r.created_at < before]
        for slot in old:
            del self._state.idempotency[slot]
        return len(old)
