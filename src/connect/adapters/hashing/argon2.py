"""Argon2id hashing of tokens, with a cache so argon2 runs once per token per process."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from connect.domain.errors import Overloaded

#: argon2id parameters from OWASP's Password Storage Cheat Sheet (m=19 MiB, t=2, p=1).
#: NOTE: our tokens carry 143 random bits, so no guessing attack on a stored hash is
#: feasible whatever the parameters: argon2 is defence in depth for a leaked database,
#: and its memory cost is paid on every verification a stranger can trigger. The OWASP
#: minimum keeps that cost at 19 MiB instead of argon2-cffi's default 64 MiB (RFC 9106's
#: low-memory profile, meant for human passwords). Stored hashes carry their own
#: parameters, so keys hashed with the old default still verify.
MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1

#: Seconds a request waits for a free verification slot before it gets a 503.
SLOT_WAIT = 1.5


class Argon2Hasher:
    """argon2-cffi's ``PasswordHasher`` (argon2id), at most ``concurrency`` at a time.

    Each argon2 run holds ``MEMORY_KIB`` of memory; without a bound, every request
    thread guessing at a public key id would hold its own. A call that finds every
    slot busy waits up to ``wait`` seconds, then raises ``Overloaded`` (a 503).

    Args:
        hasher: the argon2 parameters (default: argon2id with the parameters above).
    """

    def __init__(
        self, hasher: PasswordHasher | None = None, *, concurrency: int = 2, wait: float = SLOT_WAIT
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._hasher = hasher or PasswordHasher(
            time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM
        )
        self._slots = threading.BoundedSemaphore(concurrency)
        self._wait = wait

    @contextmanager
    def _slot(self) -> Iterator[None]:
        if not self._slots.acquire(timeout=self._wait):
            raise Overloaded("key verification", retry_after=1)
        try:
            yield
        finally:
            self._slots.release()

    def hash(self, token: str) -> str:
        with self._slot():
            return self._hasher.hash(token)

    def verify(self, token_hash: str, token: str) -> bool:
        with self._slot():
            try:
                return self._hasher.verify(token_hash, token)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

    def remembers(self, token_hash: str, token: str) -> bool:
        return False


class _Flight:
    """One argon2 verification in progress, which other requests with the same token
    wait for instead of running their own."""

    #: The longest a waiting request waits: the leader's own wait is bounded (a slot,
    #: then one argon2 run), so this only guards against the unforeseen.
    LONGEST_WAIT = 30.0

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.error: BaseException | None = None

    def outcome(self) -> bool:
        if not self.done.wait(self.LONGEST_WAIT):
            raise Overloaded("key verification", retry_after=1)
        if isinstance(self.error, Overloaded):
            raise Overloaded(self.error.what, self.error.retry_after)
        if self.error is not None:
            raise RuntimeError("the verification this request waited for failed")
        return self.ok


class VerifiedTokenCache:
    """Remembers tokens that verified, keyed by SHA-256 of the token (never the token).

    Each entry also holds the hash it verified against, so a key whose stored hash
    differs (another row, a rotation) is verified again. Revocation, expiry and scopes
    are not cached: the service reads them from storage on every request. A remembered
    token never waits for one of the inner hasher's slots.

    Args:
        inner: the slow hasher.
        size: how many tokens to remember; the least recently used goes first.
    """

    def __init__(self, inner: Argon2Hasher, size: int = 4096) -> None:
        self._inner = inner
        self._size = size
        self._entries: OrderedDict[bytes, str] = OrderedDict()
        self._flights: dict[tuple[bytes, str], _Flight] = {}
        self._lock = threading.Lock()

    def hash(self, token: str) -> str:
        return self._inner.hash(token)

    def remembers(self, token_hash: str, token: str) -> bool:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            known = self._entries.get(digest)
            if known is not None:
                self._entries.move_to_end(digest)
        return known is not None and hmac.compare_digest(known, token_hash)

    def verify(self, token_hash: str, token: str) -> bool:
        """Argon2 runs at most once at a time per token and hash.

        NOTE: after a restart every client's first requests arrive together with the
        same token; without this each of them would run argon2 (and queue for its
        slots) instead of waiting for the one already running.
        """
        if self.remembers(token_hash, token):
            return True
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            flight = self._flights.get((digest, token_hash))
            leader = flight is None
            if flight is None:
                flight = self._flights[(digest, token_hash)] = _Flight()
        if not leader:
            return flight.outcome()
        try:
            flight.ok = self._inner.verify(token_hash, token)
        except BaseException as e:
            flight.error = e
            raise
        finally:
            with self._lock:
                if flight.ok:
                    self._entries[digest] = token_hash
                    self._entries.move_to_end(digest)
                    while len(self._entries) > self._size:
                        self._entries.popitem(last=False)
                del self._flights[(digest, token_hash)]
            flight.done.set()
        return flight.ok

    def __len__(self) -> int:
        return len(self._entries)
