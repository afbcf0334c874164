"""A total deadline per attempt: a watcher shuts the attempt's sockets when it passes.

urllib3's timeouts bound each socket operation, not the request: a receiver that sends
one byte every few seconds (of its TLS handshake, headers or body) resets the read
timeout with each byte and could hold a worker thread for as long as it likes. Here one
watcher thread keeps the deadline of every attempt in flight and, when one passes,
shuts down that attempt's sockets; the blocked read then fails at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool


class Watch:
    """One attempt's deadline and the sockets it uses."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sockets: list[socket.socket] = []
        self.expired = False


class Deadlines:
    """Keeps the deadlines of the attempts in flight and enforces them."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watches: set[Watch] = set()
        self._local = threading.local()
        self._thread: threading.Thread | None = None
        self._closed = False

    @contextmanager
    def attempt(self, seconds: float) -> Iterator[Watch]:
        """Watch the sockets this thread uses inside the block for ``seconds``."""
        watch = Watch(time.monotonic() + seconds)
        with self._changed:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._run, name="connect-deadlines", daemon=True
                )
                self._thread.start()
            self._watches.add(watch)
            self._changed.notify()
        self._local.watch = watch
        try:
            yield watch
        finally:
            self._local.watch = None
            with self._changed:
                self._watches.discard(watch)

    def watch(self, sock: socket.socket) -> None:
        """Put ``sock`` under the deadline of this thread's attempt (if any)."""
        watch: Watch | None = getattr(self._local, "watch", None)
        if watch is None:
            return
        with self._changed:
            watch.sockets.append(sock)
            if watch.expired:
                _shut(sock)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()

    def _run(self) -> None:
        with self._changed:
            while not self._closed:
                now = time.monotonic()
                waiting = [w for w in self._watches if not w.expired]
                for watch in waiting:
                    if watch.deadline <= now:
                        watch.expired = True
                        for sock in watch.sockets:
                            _shut(sock)
                soonest = min((w.deadline for w in waiting if not w.expired), default=None)
                self._changed.wait(None if soonest is None else max(0.0, soonest - now))


def _shut(sock: socket.socket) -> None:
    # NOTE: the plain socket's shutdown, even for a TLS socket: it acts on the file
    # descriptor (waking the thread blocked in a read) without touching the TLS state
    # another thread is using.
    with suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def deadline_pool(deadlines: Deadlines) -> type[HTTPSConnectionPool]:
    """An HTTPS connection pool whose sockets are put under ``deadlines``: new ones
    before the TLS handshake, reused ones before each request."""

    class DeadlineConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            deadlines.watch(sock)
            return sock

        def request(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            if self.sock is not None:
                deadlines.watch(self.sock)
            super().request(*args, **kwargs)

    class DeadlinePool(HTTPSConnectionPool):
        ConnectionCls = DeadlineConnection

    return DeadlinePool
