from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from connect.adapters.memory.state import MemoryState, newest_first
from connect.domain.errors import Conflict
from connect.domain.keys import ApiKey, NewApiKey
from connect.domain.mode import Mode


class MemoryKeyStore:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, new: NewApiKey) -> ApiKey:
        if self.find(new.key_id) is not None:
            raise Conflict(f"key_id {new.key_id} already exists")
        key = ApiKey.from_new(new, self._state.next_id("keys"))
        self._state.keys[key.id] = key
        return key

    def get(self, id: int) -> ApiKey | None:
        return self._state.keys.get(id)

    def find(self, key_id: str) -> ApiKey | None:
        return next((k for k in self._state.keys.values() if k.key_id == key_id), None)

    def list(
        self, *, limit: int, before: int | None = None, mode: Mode | None = None
    ) -> Sequence[ApiKey]:
        rows = (k for k in self._state.keys.values() if mode is None or k.mode is mode)
        return newest_first(rows, limit=limit, before=before)

    def save(self, key: ApiKey) -> None:
        stored = self._state.keys[key.id]
        self._state.keys[key.id] = evolve(
            stored, name=key.name, revoked_at=key.revoked_at, last_used_at=key.last_used_at
        )

    def touch(self, id: int, at: datetime) -> None:
        self._state.keys[id] = evolve(self._state.keys[id], last_used_at=at)

    def count(self) -> int:
        return len(self._state.keys)
