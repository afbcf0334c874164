"""Transactions over in-memory state: one writer at a time, rollback by snapshot."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from connect.adapters.memory.audit import MemoryAuditLog
from connect.adapters.memory.keys import MemoryKeyStore
from connect.adapters.memory.metrics import MemoryMetricsQueries
from connect.adapters.memory.state import MemoryState
from connect.adapters.memory.submissions import MemorySubmissionStore
from connect.adapters.memory.views import MemorySubmissionViews


class MemoryStores:
    def __init__(self, state: MemoryState) -> None:
        self.submissions = MemorySubmissionStore(state)
        self.keys = MemoryKeyStore(state)
        self.submission_views = MemorySubmissionViews(self.submissions)
        self.audit = MemoryAuditLog(state)
        self.metrics = MemoryMetricsQueries(state)


class MemoryUnitOfWork:
    """Every transaction holds one lock, so transactions are serializable.

    Rollback restores a snapshot taken at the start: O(rows) per transaction, which is
    fine for tests and small embedded uses, and is the price of honest rollback.
    """

    def __init__(self, state: MemoryState | None = None) -> None:
        self.state = state or MemoryState()
        self._lock = threading.RLock()
        self.commits = 0

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[MemoryStores]:
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

    def close(self) -> None:
        return None
