"""Test doubles for Connect, like ``falcon.testing``: an in-memory Connect whose clock,
randomness, key hashing and webhook sending a test controls and reads.

    from connect.testing import connect_in_memory

    with connect_in_memory() as rig:
        ...                          # rig.connect, rig.clock, rig.sender
        rig.clock.advance(hours=1)   # time moves only when the test says so

Never use these in production: ``Sha256Hasher`` is unsalted and ``FixedEntropy`` is
predictable. ``python -m connect.testing serve`` runs a server on a clock file
(``CONNECT_CLOCK_FILE``) for end-to-end tests.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from attrs import frozen

from connect.bootstrap import Connect
from connect.config import Config
from connect.testing.sender import OK, RecordingSender, SentRequest
from connect.testing.system import FileClock, FixedEntropy, ManualClock

__all__ = ["OK", "FileClock", "FixedEntropy", "InMemory", "ManualClock", "RecordingSender"]
__all__ += ["SentRequest", "Sha256Hasher", "connect_in_memory", "wait_until"]


class Sha256Hasher:
    """A fast, unsalted hasher for unit tests of services."""

    def hash(self, token: str) -> str:
        return "sha256$" + hashlib.sha256(token.encode()).hexdigest()

    def verify(self, token_hash: str, token: str) -> bool:
        return hmac.compare_digest(token_hash, self.hash(token))

    def remembers(self, token_hash: str, token: str) -> bool:
        return False


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False): wait
    for what another thread or process does, without a fixed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        # NOTE: short enough to add no visible latency, long enough to yield the GIL.
        time.sleep(0.01)
    return True


@frozen
class InMemory:
    """An in-memory Connect and the handles a test reads and moves; closes on exit."""

    connect: Connect
    clock: ManualClock
    sender: RecordingSender
    hasher: Sha256Hasher

    def __enter__(self) -> InMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connect.close()


def connect_in_memory(config: Config | None = None, *, seed: int = 0) -> InMemory:
    """Connect over memory storage with a manual clock, randomness seeded by ``seed``,
    the fast SHA-256 hasher and a sender that records instead of sending.

    Args:
        config: settings over the defaults (the ``db`` is ignored).
        seed: the same seed gives the same keys, secrets and ids.
    """
    clock, sender, hasher = ManualClock(), RecordingSender(), Sha256Hasher()
    connect = Connect.in_memory(
        config, clock=clock, entropy=FixedEntropy(seed), hasher=hasher, sender=sender
    )
    return InMemory(connect=connect, clock=clock, sender=sender, hasher=hasher)
