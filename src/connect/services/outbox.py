"""The transactional outbox: events are recorded in the same transaction as the change
that caused them, so no event is lost between the two."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from connect.domain.access import hears_about
from connect.domain.deliveries import DeliveryStatus, NewDelivery
from connect.domain.events import Event
from connect.domain.feed import FEED_TYPES
from connect.ports.unit_of_work import Stores


class Outbox:
    """Records committed-together events in the event feed and turns them into
    deliveries: one per webhook of the event's mode subscribed to its type. A disabled
    webhook's delivery is kept ``paused`` and goes out when the webhook is re-enabled.
    An operational event goes only to the subscribed webhooks that may hear about its
    subject (``hears_about``), and never into the feed.

    Workers ``listen`` to be woken the moment a transaction that enqueued commits.
    """

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def enqueue(self, stores: Stores, events: Sequence[Event]) -> None:
        for event in events:
            if event.type in FEED_TYPES:
                stores.events.add(event)
            body = event.body()
            for webhook in stores.webhooks.subscribed(event.mode, event.type):
                if event.subject is not None:
                    key = webhook.api_key_id
                    owner = stores.keys.get(key) if key is not None else None
                    if not hears_about(webhook, owner, event.subject):
                        continue
                stores.deliveries.add(
                    NewDelivery(
                        webhook_id=webhook.id,
                        event_id=event.id,
                        event=event.type,
                        payload=body,
                        status=DeliveryStatus.PENDING if webhook.active else DeliveryStatus.PAUSED,
                        next_attempt_at=event.timestamp,
                        created_at=event.timestamp,
                    )
                )

    def listen(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` after every commit that enqueued events."""
        with self._lock:
            self._listeners.append(wake)

    def committed(self) -> None:
        """Called after a transaction that enqueued events has committed."""
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake()
