"""The audit log: recorded off the request path, read by organizers."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from attrs import frozen

from connect.domain.access import modes_seen
from connect.domain.audit import AuditEntry, AuditRecord
from connect.domain.keys import Principal
from connect.domain.pagination import Page, decode_cursor, page_of
from connect.ports.unit_of_work import UnitOfWork
from connect.services.handoff import Handoff
from connect.services.keys import lookup

log = logging.getLogger("connect.audit")


RequestFields = tuple[int | None, str, str, int, str | None, float, float]
"""``(api_key_id, endpoint, method, status_code, ip_address, duration_ms, unix_time)``."""


def entry_of(item: AuditEntry | RequestFields) -> AuditEntry:
    if isinstance(item, AuditEntry):
        return item
    key, endpoint, method, status, ip, duration, at = item
    return AuditEntry(key, endpoint, method, status, ip, duration, datetime.fromtimestamp(at, UTC))


class AuditWriter:
    """A bounded buffer drained by one background thread, one transaction per batch.

    ``record`` never blocks and never touches storage (see ``Handoff``). When the
    buffer is full the entry is counted in ``dropped`` and discarded (logged once), so
    a slow disk never slows a request down. A batch that fails to write is retried
    after each pause in ``backoff``; only then is it counted in ``dropped``
    (``retried`` counts the retries). ``close`` writes out everything buffered.

    Args:
        capacity: buffered entries at most.
        batch: entries written per transaction at most.
        interval: seconds between drains.
        backoff: pauses (seconds) before each retry of a batch that failed to write.
        sleep: how to pause (``time.sleep``; tests pass their own).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        capacity: int = 10_000,
        batch: int = 1000,
        interval: float = 0.1,
        backoff: Sequence[float] = (0.05, 0.2, 0.8, 2.0),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._backoff = tuple(backoff)
        self._sleep = sleep
        self.retried = 0
        self._uow = uow
        self._capacity = capacity
        self._entries = Handoff(
            self._write,
            name="connect-audit-writer",
            interval=interval,
            capacity=capacity,
            batch=batch,
        )
        # NOTE: two counts, so a full buffer's count (taken without a lock) never
        # overwrites the entries lost to failed writes.
        self._full = itertools.count(1)
        self._refused = 0
        self._failed = 0
        self.written = 0

    @property
    def dropped(self) -> int:
        """Entries lost: refused by a full buffer, or in a batch that could not be written."""
        return self._refused + self._failed

    def record(self, item: AuditEntry | RequestFields) -> None:
        if not self._entries.put(item):
            self._refused = next(self._full)
            if self._refused == 1:
                log.warning("audit buffer full (%d entries): dropping entries", self._capacity)

    def _write(self, items: list[AuditEntry | RequestFields]) -> None:
        # NOTE: a batch that fails (typically SQLite's "database is locked" when
        # writers pile up past busy_timeout) is retried with growing pauses; the
        # transaction rolled back, so nothing is written twice. Only then is it given
        # up, counted and logged by count and error type: entries hold no secrets, but
        # the log line need not hold the entries at all.
        entries = [entry_of(item) for item in items]
        for pause in (*self._backoff, None):
            try:
                with self._uow() as stores:
                    stores.audit.append(entries)
            except Exception as e:
                if pause is not None:
                    self.retried += 1
                    self._sleep(pause)
                    continue
                self._failed += len(entries)
                log.error(
                    "could not write %d audit entries after %d attempts: %s",
                    len(entries),
                    len(self._backoff) + 1,
                    type(e).__name__,
                )
                return
            self.written += len(entries)
            return

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything recorded so far is written; False on timeout."""
        return self._entries.flush(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write out everything buffered, then stop the thread."""
        self._entries.close(timeout)


@frozen(eq=False)
class AuditService:
    """Records each ``/api/v1`` request and lists the log; without a ``writer`` (where
    entries go) auditing is off (``CONNECT_AUDIT=off``)."""

    _uow: UnitOfWork
    writer: AuditWriter | None

    @property
    def enabled(self) -> bool:
        return self.writer is not None

    def record(self, entry: AuditEntry | RequestFields) -> None:
        """Queue an entry (or its fields as a tuple, the cheap form the HTTP edge
        uses); it is written by the background writer."""
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
        """Newest first. ``key`` is a key's number or its public ``key_id``. A test-mode
        key sees only the requests of test-mode keys."""
        before = decode_cursor(cursor)
        with self._uow(write=False) as stores:
            api_key_id: int | None = None
            if key:
                found = lookup(stores, key)
                if found is None:
                    return Page(items=[], next_cursor=None)
                api_key_id = found.id
            rows = stores.audit.list(
                limit=limit + 1,
                before=before,
                api_key_id=api_key_id,
                since=since,
                until=until,
                mode=modes_seen(principal.mode),
            )
        return page_of(rows, limit, lambda r: r.id)
