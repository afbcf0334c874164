"""Storage of webhook endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.webhooks import NewWebhook, Webhook


class WebhookStore(Protocol):
    def add(self, new: NewWebhook) -> Webhook:
        """Store a new webhook and return it with its id.

        Raises:
            NotFound: ``api_key_id`` names no stored key (nothing is stored).
        """
        ...

    def get(self, id: int, mode: Mode | None = None) -> Webhook | None:
        """The webhook with ``id`` (in ``mode`` when given), or ``None``."""
        ...

    def list(
        self, mode: Mode, *, owner: int | None, limit: int, before: int | None = None
    ) -> Sequence[Webhook]:
        """Up to ``limit`` webhooks of ``mode``, newest first, ids below ``before``;
        only those owned by key ``owner`` unless it is ``None``."""
        ...

    def save(self, webhook: Webhook) -> None:
        """Overwrite every mutable field (url, events, secrets, health)."""
        ...

    def delete(self, id: int) -> None:
        """Remove the webhook and its deliveries."""
        ...

    def subscribed(self, mode: Mode, event: EventType) -> Sequence[Webhook]:
        """Every webhook of ``mode`` subscribed to ``event`` (active or not), by id."""
        ...

    def owned_by(self, key: int) -> Sequence[Webhook]:
        """Every webhook the key owns (active or not), by id."""
        ...

    def transfer(self, from_key: int, to_key: int) -> int:
        """Move ownership from one key to another; returns how many moved."""
        ...
