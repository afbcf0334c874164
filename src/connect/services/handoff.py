"""Work handed off to one background thread: the audit log's entries, the process's log
lines and the e-mail alerts, so the thread that makes them (a request, a delivery)
never waits for a disk, a pipe or a mail server."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Handoff(Generic[T]):
    """Items ``put`` by any thread, handed to ``write`` (which must not raise) by one
    daemon thread named ``name``, at most ``batch`` at a time.

    ``put`` never blocks: it appends to a deque (atomic, no lock), and refuses the item
    while ``capacity`` wait. The thread starts on the first item, wakes every
    ``interval`` seconds (or on ``flush``), and ``close`` writes out everything pending
    before it stops.
    """

    def __init__(
        self,
        write: Callable[[list[T]], None],
        *,
        name: str,
        interval: float,
        capacity: int | None = None,
        batch: int | None = None,
    ) -> None:
        self.pending: deque[T] = deque()
        self._write = write
        self._name = name
        self._interval = interval
        self._capacity = capacity
        self._batch = batch
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._stopping = False
        self._writing = False
        self._thread: threading.Thread | None = None

    def put(self, item: T) -> bool:
        """Queue ``item``; ``False`` (and nothing queued) when the buffer is full."""
        if self._capacity is not None and len(self.pending) >= self._capacity:
            return False
        self.pending.append(item)
        if self._thread is None:
            self._start()
        return True

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self._interval)
            self._wake.clear()
            self._drain()
        self._drain()

    def _drain(self) -> None:
        # NOTE: only what is pending now, in batches; items that arrive meanwhile wait
        # for the next wake-up. Looping until empty would, under load, never go back to
        # sleep (and turn the audit log into a stream of tiny transactions).
        pending = self.pending
        remaining = len(pending)
        while remaining:
            self._writing = True
            size = min(remaining, self._batch or remaining)
            batch = [pending.popleft() for _ in range(size)]
            remaining -= size
            self._write(batch)
            self._writing = False

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything put so far is written; False on timeout."""
        deadline = time.monotonic() + timeout
        while self.pending or self._writing:
            if self._thread is None or time.monotonic() > deadline:
                return False
            self._wake.set()
            time.sleep(0.002)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write out everything pending, then stop the thread."""
        with self._start_lock:
            self._stopping = True
            thread = self._thread
        if thread is None:
            return
        self._wake.set()
        thread.join(timeout)
