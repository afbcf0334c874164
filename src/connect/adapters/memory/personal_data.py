from __future__ import annotations

from datetime import datetime

from attrs import evolve

from connect.adapters.memory.state import MemoryState
from connect.domain.deliveries import DeliveryStatus
from connect.domain.events import EventType
from connect.domain.feed import body_subject, scrub_body
from connect.domain.mode import Mode
from connect.domain.retention import (
    FINISHED,
    Census,
    Erased,
    Purged,
    delivery_expired,
    event_expired,
    expired,
)
from connect.domain.time import truncate_to_second


class MemoryPersonalDataStore:
    """Retention and erasure over the in-memory tables, by the rules of
    ``domain.retention``."""

    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def census(self) -> Census:
        deliveries = self._state.deliveries.values()
        return Census(
            events=len(self._state.events),
            deliveries=len(deliveries),
            snippets=sum(
                1 for d in deliveries for a in d.attempts if a.response_snippet is not None
            ),
            audit_entries=len(self._state.audit),
        )

    def purge(self, limit: datetime, *, dry_run: bool = False) -> Purged:
        state = self._state
        gone = {
            d.id
            for d in state.deliveries.values()
            if delivery_expired(d.status, d.updated_at, limit)
        }
        kept_events = {d.event_id for d in state.deliveries.values() if d.id not in gone}
        events = [e for e in state.events if event_expired(e.timestamp, limit, e.id in kept_events)]
        audit = [row for row in state.audit if expired(row["created_at"], limit)]
        snippets = 0
        for delivery in list(state.deliveries.values()):
            if delivery.id in gone:
                continue
            attempts = tuple(
                evolve(a, response_snippet=None)
                if a.response_snippet is not None and expired(a.attempted_at, limit)
                else a
                for a in delivery.attempts
            )
            cleared = sum(1 for a, b in zip(delivery.attempts, attempts, strict=True) if a != b)
            snippets += cleared
            if cleared and not dry_run:
                state.deliveries[delivery.id] = evolve(delivery, attempts=attempts)
        if not dry_run:
            for id in gone:
                del state.deliveries[id]
                state.leases.pop(id, None)
            state.events = [e for e in state.events if e not in events]
            state.audit = [row for row in state.audit if row not in audit]
        return Purged(
            events=len(events), deliveries=len(gone), snippets=snippets, audit_entries=len(audit)
        )

    def erase_submission(self, id: int, mode: Mode, now: datetime) -> Erased:
        state = self._state
        payloads = cancelled = snippets = 0
        for delivery in list(state.deliveries.values()):
            webhook = state.webhooks.get(delivery.webhook_id)
            if (
                webhook is None
                or webhook.mode is not mode
                or delivery.event is EventType.WEBHOOK_TEST
                or body_subject(delivery.payload) != id
            ):
                continue
            payloads += 1
            attempts = tuple(evolve(a, response_snippet=None) for a in delivery.attempts)
            snippets += sum(1 for a in delivery.attempts if a.response_snippet is not None)
            changed = evolve(delivery, payload=scrub_body(delivery.payload, id), attempts=attempts)
            if delivery.status not in FINISHED:
                cancelled += 1
                changed = evolve(
                    changed,
                    status=DeliveryStatus.CANCELLED,
                    next_attempt_at=None,
                    updated_at=truncate_to_second(now),
                )
                state.leases.pop(delivery.id, None)
            state.deliveries[delivery.id] = changed
        events = 0
        for index, event in enumerate(state.events):
            if event.mode is mode and event.submission_id == id:
                state.events[index] = evolve(event, body=scrub_body(event.body, id))
                events += 1
        state.idempotency = {k: r for k, r in state.idempotency.items() if r.submission_id != id}
        found = state.submissions.get(id)
        if found is not None and found.mode is mode:
            del state.submissions[id]
        return Erased(events=events, payloads=payloads, cancelled=cancelled, snippets=snippets)
