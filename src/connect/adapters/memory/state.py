"""The tables of the in-memory storage, with snapshot and restore for rollback."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from attrs import asdict, define, field

from connect.domain.deliveries import Delivery
from connect.domain.feed import FeedEvent
from connect.domain.idempotency import IdempotencyRecord
from connect.domain.keys import ApiKey
from connect.domain.submissions import Submission
from connect.domain.webhooks import Webhook

Row = TypeVar("Row", Submission, ApiKey, Webhook, Delivery)


def newest_first(rows: Iterable[Row], *, limit: int, before: int | None) -> list[Row]:
    """A page of ``rows``: up to ``limit`` of them, highest id first, ids below ``before``."""
    kept = (row for row in rows if before is None or row.id < before)
    return sorted(kept, key=lambda row: row.id, reverse=True)[:limit]


@define
class MemoryState:
    submissions: dict[int, Submission] = field(factory=dict)
    keys: dict[int, ApiKey] = field(factory=dict)
    webhooks: dict[int, Webhook] = field(factory=dict)
    deliveries: dict[int, Delivery] = field(factory=dict)
    audit: list[dict[str, Any]] = field(factory=list)
    leases: dict[int, tuple[str, datetime]] = field(factory=dict)
    idempotency: dict[tuple[int, str], IdempotencyRecord] = field(factory=dict)
    sequences: dict[str, int] = field(factory=dict)
    events: list[FeedEvent] = field(factory=list)

    def next_id(self, table: str) -> int:
        self.sequences[table] = self.sequences.get(table, 0) + 1
        return self.sequences[table]

    def snapshot(self) -> dict[str, Any]:
        # NOTE: values are frozen attrs instances (or plain lists/dicts of them), so
        # copying each container one level deep is a full snapshot.
        return {
            name: (value.copy() if hasattr(value, "copy") else value)
            for name, value in asdict(self, recurse=False).items()
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name, value in snapshot.items():
            setattr(self, name, value)
