"""``AeadSecretBox``: the ``SecretBox`` port with AES-256-GCM from ``cryptography``.

A sealed value is ``v1:<key id>:<base64url(nonce || ciphertext || tag)>``:

- ``v1`` is the format, so a later one can be told apart;
- the key id (8 hex digits of a SHA-256 of the key) names which configured key sealed
  it, so several keys can be configured at once while a rotation is under way;
- the nonce is 96 random bits, fresh for every seal;
- the associated data is ``v1:<key id>:<context>`` (e.g. ``webhooks_1.secret:7``), so
  a value pasted into another row or column, or relabelled with another key id, fails
  to open instead of yielding a secret.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from connect.domain.errors import SecretUnreadable

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12


def key_id(key: bytes) -> str:
    """A short public name for ``key`` (safe to store and log; reveals nothing useful)."""
    return hashlib.sha256(b"connect secret key id\x00" + key).hexdigest()[:8]


class AeadSecretBox:
    """Seals under the first key of ``keys``; opens with whichever key sealed the value.

    Args:
        keys: 32-byte keys, the current one first.
        source: where the keys came from, for error messages (never the keys).
    """

    def __init__(self, keys: Sequence[bytes], *, source: str = "the configured keys") -> None:
        if not keys or any(len(k) != KEY_BYTES for k in keys):
            raise ValueError(f"a secret box needs one or more {KEY_BYTES}-byte keys")
        self._ciphers = {key_id(k): AESGCM(k) for k in reversed(keys)}
        self.current = key_id(keys[0])
        self.source = source

    @classmethod
    def ephemeral(cls) -> AeadSecretBox:
        """A box with a fresh random key held only in memory (tests, throw-away files)."""
        return cls([os.urandom(KEY_BYTES)], source="a key held in memory")

    def seal(self, secret: str, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        aad = f"{VERSION}:{self.current}:{context}".encode()
        sealed = self._ciphers[self.current].encrypt(nonce, secret.encode(), aad)
        return f"{VERSION}:{self.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str, context: str) -> str:
        version, _, rest = sealed.partition(":")
        kid, _, body = rest.partition(":")
        if version != VERSION or not body:
            raise SecretUnreadable(f"the stored secret for {context} is not in a known format")
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SecretUnreadable(
                f"the stored secret for {context} was sealed with key {kid}, which is not "
                f"among {self.source}; restore that key (see docs/webhooks.md)"
            )
        try:
            raw = base64.urlsafe_b64decode(body.encode())
            aad = f"{VERSION}:{kid}:{context}".encode()
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad).decode()
        except (InvalidTag, ValueError) as e:
            raise SecretUnreadable(
                f"the stored secret for {context} does not open with key {kid}: the key "
                "is wrong or the stored value was altered or moved"
            ) from e

    def is_sealed(self, stored: str) -> bool:
        return stored.startswith(f"{VERSION}:")
