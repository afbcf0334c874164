"""Hashing secret tokens for storage."""

from __future__ import annotations

from typing import Protocol


class TokenHasher(Protocol):
    def hash(self, token: str) -> str:
        """A slow, salted hash of ``token`` that is safe to store."""
        ...

    def verify(self, token_hash: str, token: str) -> bool:
        """Whether ``token`` is the one ``token_hash`` was made from (constant time)."""
        ...
