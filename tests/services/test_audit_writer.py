"""The audit writer: off the request path, batched, bounded, flushed on close."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

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
    assert writer._thread is None
    writer.close()
