"""The audit log: recorded off the request path, read by organizers."""

from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import datetime

from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.keys import Principal, Scope
from connect.domain.pagination import Page, decode_cursor, page_of
from connect.ports.unit_of_work import UnitOfWork

log = logging.getLogger("connect.audit")


class AuditWriter:
    """A bounded queue drained by one background thread, one transaction per batch.

    ``record`` never blocks and never touches storage: when the queue is full the entry
    is counted in ``dropped`` and discarded (logged once), so a slow disk can never
    slow a request down. The thread starts on the first entry; ``close`` writes out
    everything queued and stops it.

    Args:
        uow: storage transactions.
        capacity: queued entries at most.
        batch: entries written per transaction at most.
    """

    def __init__(self, uow: UnitOfWork, *, capacity: int = 10_000, batch: int = 500) -> None:
        self._uow = uow
        self._queue: queue.Queue[AuditEntry | None] = queue.Queue(capacity)
        self._batch = batch
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False
        self.dropped = 0
        self.written = 0

    def record(self, entry: AuditEntry) -> None:
        if self._thread is None:
            self._start()
        try:
            self._queue.put_nowait(entry)
        except queue.Full:
            self.dropped += 1
            if self.dropped == 1:
                log.warning("audit queue full (%d entries): dropping entries", self._queue.maxsize)

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="connect-audit-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            batch = [first]
            while len(batch) < self._batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            entries = [e for e in batch if e is not None]
            if entries:
                self._write(entries)
            for _ in batch:
                self._queue.task_done()
            if len(entries) < len(batch):
                return  # the stop marker

    def _write(self, entries: list[AuditEntry]) -> None:
        try:
            with self._uow() as stores:
                stores.audit.append(entries)
            self.written += len(entries)
        except Exception:
            self.dropped += len(entries)
            log.exception("could not write %d audit entries", len(entries))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything recorded so far is written; False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if self._thread is None or time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write out everything queued, then stop the thread."""
        with self._start_lock:
            self._closed = True
            thread = self._thread
        if thread is None:
            return
        self._queue.put(None)
        thread.join(timeout)


class AuditService:
    """Records each ``/api/v1`` request and lists the log.

    Args:
        uow: storage transactions (for reading).
        writer: where entries go; ``None`` turns auditing off (``CONNECT_AUDIT=off``).
    """

    def __init__(self, uow: UnitOfWork, writer: AuditWriter | None) -> None:
        self._uow = uow
        self.writer = writer

    @property
    def enabled(self) -> bool:
        return self.writer is not None

    def record(self, entry: AuditEntry) -> None:
        if self.writer is not None:
            self.writer.record(entry)

    def flush(self) -> bool:
        return self.writer.flush() if self.writer is not None else True

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def list(
        self,
        principal: Principal,
        *,
        limit: int,
        cursor: str | None,
        key: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Page[AuditRecord]:
        """Newest first. ``key`` is a key's number or its public ``key_id``."""
        principal.require(Scope.KEYS_MANAGE)
        before = decode_cursor(cursor)
        with self._uow(write=False) as stores:
            api_key_id: int | None = None
            if key:
                found = stores.keys.get(int(key)) if key.isdigit() else stores.keys.find(key)
                if found is None:
                    return Page(items=[], next_cursor=None)
                api_key_id = found.id
            rows = stores.audit.list(
                limit=limit + 1, before=before, api_key_id=api_key_id, since=since, until=until
            )
        return page_of(rows, limit, lambda r: r.id)
