"""The audit writer: off the request path, batched, bounded, flushed on close."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.memory.unit_of_work import MemoryStores
from connect.bootstrap import Connect
from connect.domain.audit import AuditEntry
from connect.services.audit import AuditWriter


def entry(n: int = 0) -> AuditEntry:
    return AuditEntry(
        api_key_id=None,
        endpoint="/api/v1/keys",
        method="GET",
        status_code=200,
        ip_address="127.0.0.1",
        duration_ms=float(n),
        created_at=datetime(2026, 2, 6, tzinfo=UTC),
    )


class GatedUnitOfWork(MemoryUnitOfWork):
    """Holds every write until the test opens the gate; counts transactions."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.transactions = 0

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[MemoryStores]:
        if write:
            self.gate.wait(10)
            self.transactions += 1
        with super().__call__(write) as stores:
            yield stores


def test_close_writes_out_everything_recorded() -> None:
    uow = MemoryUnitOfWork()
    writer = AuditWriter(uow)
    for n in range(1000):
        writer.record(entry(n))
    writer.close()
    assert len(uow.state.audit) == 1000
    assert [row["duration_ms"] for row in uow.state.audit] == [float(n) for n in range(1000)]


def test_entries_are_written_in_batches_one_transaction_each() -> None:
    uow = GatedUnitOfWork()
    writer = AuditWriter(uow, batch=100)
    writer.record(entry())
    for n in range(299):
        writer.record(entry(n))
    uow.gate.set()
    writer.close()
    assert len(uow.state.audit) == 300
    assert uow.transactions <= 4  # the first entry alone, then batches of up to 100


def test_a_full_queue_drops_and_counts_instead_of_blocking() -> None:
    uow = GatedUnitOfWork()
    writer = AuditWriter(uow, capacity=10, batch=5)
    for n in range(100):
        writer.record(entry(n))  # would hang here if record blocked
    assert writer.dropped >= 85
    uow.gate.set()
    writer.close()
    assert len(uow.state.audit) + writer.dropped == 100


def test_connect_close_flushes_the_audit_log(memory_connect: Connect) -> None:
    memory_connect.audit.record(entry())
    memory_connect.close()
    with memory_connect.uow(write=False) as stores:
        assert len(stores.audit.list(limit=10)) == 1


def test_nothing_starts_a_thread_until_the_first_entry() -> None:
    writer = AuditWriter(MemoryUnitOfWork())
    assert writer._entries._thread is None
    writer.close()


class FlakyUnitOfWork(MemoryUnitOfWork):
    """Its first ``failures`` write transactions fail as SQLite's do under contention."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    @contextmanager
    def __call__(self, write: bool = True) -> Iterator[MemoryStores]:
        with super().__call__(write) as stores:
            yield stores
            if write and self.failures > 0:
                self.failures -= 1
                raise sqlite3.OperationalError("database is locked")


def test_a_batch_that_fails_a_few_times_is_retried_with_backoff_and_not_lost() -> None:
    uow = FlakyUnitOfWork(failures=3)
    pauses: list[float] = []
    writer = AuditWriter(uow, backoff=(0.05, 0.2, 0.8, 2.0), sleep=pauses.append)
    for n in range(50):
        writer.record(entry(n))
    writer.close()
    assert [row["duration_ms"] for row in uow.state.audit] == [float(n) for n in range(50)]
    assert pauses == [0.05, 0.2, 0.8]
    assert (writer.written, writer.dropped, writer.retried) == (50, 0, 3)


def test_a_batch_that_keeps_failing_is_counted_and_logged_without_its_entries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    uow = FlakyUnitOfWork(failures=100)
    writer = AuditWriter(uow, backoff=(0.01, 0.01), sleep=lambda s: None)
    secretish = AuditEntry(None, "/api/v1/keys", "GET", 401, "203.0.113.9", 1.0, entry().created_at)
    with caplog.at_level(logging.ERROR, logger="connect.audit"):
        for _ in range(7):
            writer.record(secretish)
        writer.close()
    assert uow.state.audit == []
    assert (writer.written, writer.dropped, writer.retried) == (0, 7, 2)
    assert uow.failures == 100 - 3, "one try and two retries, then given up"
    text = caplog.text
    assert "could not write 7 audit entries after 3 attempts: OperationalError" in text
    assert "203.0.113.9" not in text and "/api/v1/keys" not in text


def test_dropped_counts_failed_batches_and_a_full_buffer_together() -> None:
    uow = FlakyUnitOfWork(failures=100)
    writer = AuditWriter(uow, capacity=3, backoff=(), sleep=lambda s: None)
    for n in range(2):
        writer.record(entry(n))
    writer.close()
    assert writer.dropped == 2, "a batch that could not be written"
    # NOTE: once closed nothing drains the buffer, so it fills and refuses.
    for n in range(5):
        writer.record(entry(n))
    assert writer.dropped == 2 + 2, "the failed batch is still counted beside the refused"
