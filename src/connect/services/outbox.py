"""The transactional outbox: events are recorded in the same transaction as the change
that caused them, so no event is lost between the two."""

from __future__ import annotations

from collections.abc import Sequence

from connect.domain.events import Event
from connect.ports.unit_of_work import Stores


class Outbox:
    """Turns committed-together events into pending deliveries.

    Until webhooks exist there is nobody to deliver to, so the foundation records
    nothing; the webhooks service replaces ``enqueue``'s body.
    """

    def enqueue(self, stores: Stores, events: Sequence[Event]) -> None:
        del stores, events

    def committed(self) -> None:
        """Called after a transaction that enqueued events has committed."""
