"""Which due deliveries a claim takes: round-robin over endpoints, not oldest first.

Every webhook's due deliveries are ranked oldest first (due time, then id). A claim
takes every webhook's first before any webhook's second, and so on (a round), oldest
first within a round, and never more of one webhook than it has room for. A webhook
with a thousand overdue deliveries therefore cannot fill a claim while another waits
with one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from connect.domain.deliveries import Delivery


def due_order(delivery: Delivery) -> tuple[datetime, int]:
    """A delivery's place in its webhook's queue: due time, then id."""
    return (delivery.next_attempt_at or delivery.created_at, delivery.id)


def fair_claim(
    due: Iterable[Delivery],
    *,
    limit: int,
    per_webhook: int,
    room: Mapping[int, int] | None = None,
) -> list[Delivery]:
    """The deliveries a claim takes from ``due`` (in any order), in round-robin order:
    at most ``limit``, and of each webhook at most its ``room`` (0 = none) or, if not
    listed there, ``per_webhook``."""
    room = room or {}
    ranked: list[tuple[int, datetime, int, Delivery]] = []
    seen: dict[int, int] = {}
    for delivery in sorted(due, key=due_order):
        rank = seen.get(delivery.webhook_id, 0)
        seen[delivery.webhook_id] = rank + 1
        if rank < room.get(delivery.webhook_id, per_webhook):
            ranked.append((rank, *due_order(delivery), delivery))
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[: max(0, limit)]]
