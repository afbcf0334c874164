from __future__ import annotations

from collections.abc import Sequence

from attrs import evolve

from connect.adapters.memory.state import MemoryState, newest_first
from connect.domain.errors import NotFound
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.webhooks import NewWebhook, Webhook


class MemoryWebhookStore:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, new: NewWebhook) -> Webhook:
        if new.api_key_id is not None and new.api_key_id not in self._state.keys:
            raise NotFound(f"no API key with id {new.api_key_id} to own the webhook")
        webhook = Webhook.from_new(new, self._state.next_id("webhooks"))
        self._state.webhooks[webhook.id] = webhook
        return webhook

    def get(self, id: int, mode: Mode | None = None) -> Webhook | None:
        found = self._state.webhooks.get(id)
        if found is None or (mode is not None and found.mode is not mode):
            return None
        return found

    def list(
        self, mode: Mode, *, owner: int | None, limit: int, before: int | None = None
    ) -> Sequence[Webhook]:
        rows = (
            w
            for w in self._state.webhooks.values()
            if w.mode is mode and (owner is None or w.api_key_id == owner)
        )
        return newest_first(rows, limit=limit, before=before)

    def save(self, webhook: Webhook) -> None:
        stored = self._state.webhooks[webhook.id]
        # NOTE: id, mode and created_at never change, whatever the caller passes.
        self._state.webhooks[webhook.id] = evolve(
            webhook, id=stored.id, mode=stored.mode, created_at=stored.created_at
        )

    def delete(self, id: int) -> None:
        self._state.webhooks.pop(id, None)
        for delivery in [d for d in self._state.deliveries.values() if d.webhook_id == id]:
            del self._state.deliveries[delivery.id]
            self._state.leases.pop(delivery.id, None)

    def subscribed(self, mode: Mode, event: EventType) -> Sequence[Webhook]:
        rows = [w for w in self._state.webhooks.values() if w.mode is mode and event in w.events]
        return sorted(rows, key=lambda w: w.id)

    def owned_by(self, key: int) -> Sequence[Webhook]:
        return sorted(
            (w for w in self._state.webhooks.values() if w.api_key_id == key), key=lambda w: w.id
        )

    def transfer(self, from_key: int, to_key: int) -> int:
        moved = [w for w in self._state.webhooks.values() if w.api_key_id == from_key]
        for webhook in moved:
            self._state.webhooks[webhook.id] = evolve(webhook, api_key_id=to_key)
        return len(moved)
