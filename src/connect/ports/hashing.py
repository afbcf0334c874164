"""Hashing secret tokens for storage."""

from __future__ import annotations

from typing import Protocol


class TokenHasher(Protocol):
    def hash(self, token: str) -> str:
        """A slow, salted hash of ``token`` that is safe to store.

        Raises:
            Overloaded: too many hashes are running; nothing was hashed.
        """
        ...

    def verify(self, token_hash: str, token: str) -> bool:
        """Whether ``token`` is the one ``token_hash`` was made from (constant time).

        Raises:
            Overloaded: too many verifications are running; nothing was checked.
        """
        ...

    def remembers(self, token_hash: str, token: str) -> bool:
        """Whether ``token`` already verified against ``token_hash`` in this process: a
        cheap check that never runs the slow hash (``False`` when unsure)."""
        ...


class VerificationGuard(Protocol):
    """Decides whether a slow verification of a presented token may run, and hears
    about the ones that failed (the edge counts them per client and per key id)."""

    def before_verifying(self, key_id: str) -> None:
        """Called before a slow verification for ``key_id``.

        Raises:
            RateLimited: the verification must not run.
        """
        ...

    def verification_failed(self, key_id: str) -> None:
        """Called after a slow verification for ``key_id`` found a wrong secret."""
        ...
