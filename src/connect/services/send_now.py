"""Sends that a request waits for (the webhook test send), on a few threads of their
own and with a short deadline, so a slow receiver never holds request threads."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as DeadlinePassed
from typing import TypeVar

from connect.domain.errors import Overloaded

_T = TypeVar("_T")


class SendNow:
    """At most ``slots`` sends at once, each on its own short-lived thread; the caller
    waits at most ``deadline`` seconds for one.

    A send that outlives its deadline keeps its slot until the sender's own timeout
    ends it, so a hanging receiver can hold at most ``slots`` threads, never more;
    callers beyond that are told to come back (``Overloaded``) without waiting.
    """

    def __init__(self, slots: int = 2, deadline: float = 5.0) -> None:
        if slots < 1 or deadline <= 0:
            raise ValueError("slots must be at least 1 and deadline positive")
        self._slots = threading.BoundedSemaphore(slots)
        self.deadline = deadline

    def reserve(self) -> Reservation:
        """A slot for one send, taken now.

        Raises:
            Overloaded: every slot is busy (nothing was sent or stored).
        """
        if not self._slots.acquire(blocking=False):
            raise Overloaded("webhook test send", retry_after=math.ceil(self.deadline))
        return Reservation(self._slots, self.deadline)


class Reservation:
    """One reserved slot: ``run`` a send in it, or ``cancel`` to give it back unused."""

    def __init__(self, slots: threading.BoundedSemaphore, deadline: float) -> None:
        self._slots = slots
        self._deadline = deadline
        self._held = True
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """Give the slot back (once; the send will not happen, or has ended)."""
        with self._lock:
            if self._held:
                self._held = False
                self._slots.release()

    def run(self, send: Callable[[], _T]) -> _T | None:
        """Start ``send`` on a thread of its own and wait for it up to the deadline:
        what it returned, or ``None`` if the deadline passed first (its result is then
        dropped). The slot is given back when ``send`` returns, not when the caller
        stops waiting.
        """
        future: Future[_T] = Future()

        def target() -> None:
            try:
                future.set_result(send())
            except BaseException as e:
                future.set_exception(e)
            finally:
                self.cancel()

        threading.Thread(target=target, name="connect-send-now", daemon=True).start()
        try:
            return future.result(timeout=self._deadline)
        except DeadlinePassed:
            return None
