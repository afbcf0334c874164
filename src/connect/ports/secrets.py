"""Keeping secrets that Connect must read back (webhook signing secrets) encrypted at rest."""

from __future__ import annotations

from typing import Protocol


class SecretBox(Protocol):
    """Authenticated encryption of short secrets for storage.

    ``context`` names where the value lives (table, column and row, e.g.
    ``webhooks_1.secret:7``); it is bound to the sealed value, so a value copied to
    another row or column does not open there.
    """

    def seal(self, secret: str, context: str) -> str:
        """``secret`` encrypted under the current key, as text safe to store."""
        ...

    def open(self, sealed: str, context: str) -> str:
        """The secret ``seal`` was given.

        Raises:
            SecretUnreadable: no configured key opens it (a wrong or missing key, or a
                value that was altered or moved).
        """
        ...

    def is_sealed(self, stored: str) -> bool:
        """Whether a stored value is sealed (rather than a secret stored in clear)."""
        ...
