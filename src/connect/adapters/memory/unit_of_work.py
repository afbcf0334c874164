"""Transactions over in-memory state: one writer at a time, rollback by snapshot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from connect.adapters.memory.audit import MemoryAuditLog
from connect.adapters.memory.deliveries import MemoryDeliveryStore
from connect.adapters.memory.events import MemoryEventStore
from connect.adapters.memory.idempotency import MemoryIdempotencyStore
from connect.adapters.memory.keys import MemoryKeyStore
from connect.adapters.memory.metrics import MemoryMetricsQueries
from connect.adapters.memory.personal_data import MemoryPersonalDataStore
from connect.adapters.memory.state import MemoryState
from connect.adapters.memory.submissions import MemorySubmissionStore
from connect.adapters.memory.webhooks import MemoryWebhookStore


class MemoryStores:
    def __init__(self, state: MemoryState) -> None:
        self.submissions = MemorySubmissionStore(state)
        self.keys = MemoryKeyStore(state)
        self.submission_views = self.submissions
        self.webhooks = MemoryWebhookStore(state)
        self.deliveries = MemoryDeliveryStore(state)
        self.audit = MemoryAuditLog(state)
        self.metrics = MemoryMetricsQueries(state)
        self.idempotency = MemoryIdempotencyStore(state)
        self.events = MemoryEventStore(state)
        self.personal_data = MemoryPersonalDataStore(state)


class MemoryUnitOfWork:
    """Every write transaction holds one lock, so transactions are serializable; a
    read-only one works on a copy of the state taken under that lock.

    Rollback restores a snapshot taken at the start: O(rows) per transaction, which is
    fine for tests and small embedded uses, and is the price of honest rollback.
    """

    def __init__(self, state: MemoryState | None = None) -> None:
        self.state = state or MemoryState()
        self._lock = threading.RLock()
        self.commits = 0

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[MemoryStores]:
        if not write:
            # NOTE: a read-only block reads a copy taken under the lock, so a slow reader
            # (a streamed export) never holds up writers, and sees one consistent state.
            with self._lock:
                copy = MemoryState()
                copy.restore(self.state.snapshot())
            yield MemoryStores(copy)
            return
        with self._lock:
            snapshot = self.state.snapshot()
            try:
                yield MemoryStores(self.state)
            except BaseException:
                self.state.restore(snapshot)
                raise
            self.commits += 1

    def ping(self) -> None:
        return None

    def forget_deleted(self) -> None:
        """Nothing to do: a deleted value is gone once nothing refers to it."""
        return None

    def close(self) -> None:
        return None
