"""Argon2id hashing of tokens, with a cache so argon2 runs once per token per process."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Hasher:
    """argon2-cffi's ``PasswordHasher`` (argon2id, its default parameters)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, token: str) -> str:
        return self._hasher.hash(token)

    def verify(self, token_hash: str, token: str) -> bool:
        try:
            return self._hasher.verify(token_hash, token)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


class VerifiedTokenCache:
    """Remembers tokens that verified, keyed by SHA-256 of the token (never the token).

    Each entry also holds the hash it verified against, so a key whose stored hash
    differs (another row, a rotation) is verified again. Revocation, expiry and scopes
    are not cached: the service reads them from storage on every request.

    Args:
        inner: the slow hasher.
        size: how many tokens to remember; the least recently used goes first.
    """

    def __init__(self, inner: Argon2Hasher, size: int = 4096) -> None:
        self._inner = inner
        self._size = size
        self._entries: OrderedDict[bytes, str] = OrderedDict()
        self._lock = threading.Lock()

    def hash(self, token: str) -> str:
        return self._inner.hash(token)

    def verify(self, token_hash: str, token: str) -> bool:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            known = self._entries.get(digest)
            if known is not None:
                self._entries.move_to_end(digest)
        if known is not None and hmac.compare_digest(known, token_hash):
            return True
        if not self._inner.verify(token_hash, token):
            return False
        with self._lock:
            self._entries[digest] = token_hash
            self._entries.move_to_end(digest)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._entries)
