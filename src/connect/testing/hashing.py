"""A fast hasher for unit tests of services. Not for production: it is unsalted."""

from __future__ import annotations

import hashlib
import hmac


class Sha256Hasher:
    def hash(self, token: str) -> str:
        return "sha256$" + hashlib.sha256(token.encode()).hexdigest()

    def verify(self, token_hash: str, token: str) -> bool:
        return hmac.compare_digest(token_hash, self.hash(token))

    def remembers(self, token_hash: str, token: str) -> bool:
        return False
