from __future__ import annotations

from collections.abc import Sequence

from connect.adapters.memory.state import MemoryState
from connect.domain.events import Event, EventType
from connect.domain.feed import FeedEvent, subject
from connect.domain.mode import Mode
from connect.domain.time import truncate_to_second


class MemoryEventStore:
    """The feed as a list in position order, times at second precision (as SQLite)."""

    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, event: Event) -> FeedEvent:
        if any(e.id == event.id for e in self._state.events):
            raise ValueError(f"event {event.id} is stored already")
        stored = FeedEvent(
            position=self._state.next_id("events"),
            id=event.id,
            type=event.type,
            mode=event.mode,
            timestamp=truncate_to_second(event.timestamp),
            body=event.body(),
            submission_id=subject(event),
        )
        self._state.events.append(stored)
        return stored

    def _matching(self, mode: Mode, types: frozenset[EventType] | None) -> list[FeedEvent]:
        return [
            e for e in self._state.events if e.mode is mode and (types is None or e.type in types)
        ]

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        after: int | None = None,
        types: frozenset[EventType] | None = None,
    ) -> Sequence[FeedEvent]:
        return [e for e in self._matching(mode, types) if e.position > (after or 0)][:limit]

    def last(self, mode: Mode, types: frozenset[EventType] | None = None) -> int | None:
        return max((e.position for e in self._matching(mode, types)), default=None)
