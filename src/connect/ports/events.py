"""Storage of the event feed: every event, in order, in the transaction that caused it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from connect.domain.events import Event, EventType
from connect.domain.feed import FeedEvent
from connect.domain.mode import Mode


class EventStore(Protocol):
    def add(self, event: Event) -> FeedEvent:
        """Append an event; it gets the next position (positions only grow)."""
        ...

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        after: int | None = None,
        types: frozenset[EventType] | None = None,
    ) -> Sequence[FeedEvent]:
        """Up to ``limit`` events of ``mode``, oldest (lowest position) first, after
        position ``after``, of a type in ``types`` (all when ``None``)."""
        ...

    def last(self, mode: Mode, types: frozenset[EventType] | None = None) -> int | None:
        """The position of the latest matching event, or ``None`` (read cheaply)."""
        ...
