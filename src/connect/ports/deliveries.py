"""Storage of deliveries and their attempts, with leased claims for workers."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus, NewDelivery
from connect.domain.events import EventType


class DeliveryStore(Protocol):
    def add(self, new: NewDelivery) -> Delivery: ...

    def get(self, id: int) -> Delivery | None:
        """The delivery with its attempts, or ``None``."""
        ...

    def list(self, webhook_id: int, *, limit: int, before: int | None = None) -> Sequence[Delivery]:
        """A webhook's deliveries with their attempts, newest first, ids below ``before``."""
        ...

    def claim(
        self,
        now: datetime,
        *,
        owner: str,
        lease_until: datetime,
        limit: int,
        per_webhook: int,
        room: Mapping[int, int] | None = None,
    ) -> Sequence[Delivery]:
        """Atomically lease up to ``limit`` due deliveries in round-robin order over
        webhooks (``connect.domain.claims.fair_claim``: every webhook's oldest first,
        then every webhook's second...): at most ``per_webhook`` per webhook, or
        ``room[webhook_id]`` for the webhooks listed there (0 = none).

        Due means ``pending`` with ``next_attempt_at <= now``, or ``in_flight`` whose
        lease expired (its worker died). Claimed deliveries are ``in_flight``, leased to
        ``owner`` until ``lease_until``.
        """
        ...

    def renew(self, ids: Collection[int], owner: str, lease_until: datetime) -> int:
        """Extend to ``lease_until`` the leases of those of ``ids`` still ``in_flight``
        and leased to ``owner`` (a live worker's heartbeat); returns how many. A
        delivery another worker took over, or already settled, is left alone."""
        ...

    def record(
        self,
        id: int,
        attempt: Attempt,
        *,
        status: DeliveryStatus,
        next_attempt_at: datetime | None,
        now: datetime,
    ) -> None:
        """Append an attempt, set the outcome and clear the lease."""
        ...

    def release(self, id: int, owner: str, now: datetime) -> None:
        """Give a leased, unattempted delivery back (``pending``, due now)."""
        ...

    def reschedule(
        self, id: int, *, status: DeliveryStatus, next_attempt_at: datetime | None, now: datetime
    ) -> None:
        """Set status and due time, clearing any lease (pause, resume, redeliver)."""
        ...

    def pause(self, webhook_id: int, now: datetime) -> int:
        """``pending`` deliveries of a webhook become ``paused``; returns how many."""
        ...

    def resume(self, webhook_id: int, now: datetime) -> int:
        """``paused`` deliveries of a webhook become ``pending``, due now."""
        ...

    def recover(
        self,
        webhook_id: int,
        since: datetime,
        until: datetime,
        now: datetime,
        *,
        skip: Collection[EventType] = (),
    ) -> int:
        """``failed`` deliveries of a webhook created from ``since`` to ``until`` (both
        included), but those of the events in ``skip``, become ``pending``, due ``now``;
        returns how many."""
        ...

    def next_due(self, exclude: Collection[int] = ()) -> datetime | None:
        """The earliest ``next_attempt_at`` of a ``pending`` delivery, leaving out
        those of the webhooks in ``exclude``."""
        ...

    def count(self, status: DeliveryStatus | None = None) -> int: ...
