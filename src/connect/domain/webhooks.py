"""Webhook endpoints: where events go, and whether they are healthy."""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from connect.domain.events import EventType
from connect.domain.mode import Mode


@frozen
class Webhook:
    """A registered endpoint. ``secret`` signs; ``previous_secret`` also signs until
    ``previous_secret_expires_at`` (a rotation's grace period)."""

    id: int
    url: str
    events: frozenset[EventType]
    secret: str
    api_key_id: int | None
    mode: Mode
    created_at: datetime
    active: bool = True
    failure_count: int = 0
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
