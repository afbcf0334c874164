"""Sealing the webhook secrets already stored in PostgreSQL: the clear ones (at every
migrate), or all of them under a new key (``connect rotate-encryption-key``).

NOTE: not a numbered migration, as in SQLite: it needs the key, which SQL does not
have, and it is idempotent (a sealed value is left alone).
"""

from __future__ import annotations

from typing import Any

import psycopg

from connect.ports.secrets import SecretBox

TABLE = "webhooks_1"
SECRET_COLUMNS = ("secret", "previous_secret")


def secret_context(column: str, id: int) -> str:
    """What a sealed secret is bound to: its table, column and row (the same words as
    the SQLite file's, so a value sealed by either opens in both)."""
    return f"{TABLE}.{column}:{id}"


class NoSecretBox:
    """Stands in when a ``PostgresUnitOfWork`` was made without a ``SecretBox``: any
    use of a webhook secret fails loudly instead of storing it in clear."""

    def _refuse(self) -> RuntimeError:
        return RuntimeError(
            "webhook secrets need a SecretBox: pass PostgresUnitOfWork(..., secret_box=...) "
            "(Connect.open does)"
        )

    def seal(self, secret: str, context: str) -> str:
        raise self._refuse()

    def open(self, sealed: str, context: str) -> str:
        raise self._refuse()

    def is_sealed(self, stored: str) -> bool:
        raise self._refuse()


def seal_secrets(
    conn: psycopg.Connection[tuple[Any, ...]], box: SecretBox, *, reseal: bool = False
) -> int:
    """Seal every secret stored in clear (and, with ``reseal``, re-seal every sealed one
    under the box's current key), in one transaction: all or nothing.

    Returns how many values were written.

    Raises:
        SecretUnreadable: a sealed value does not open with the box's keys (nothing is
            written then).
    """
    written = 0
    with conn.transaction():
        # NOTE: the rows are locked so a webhook saved meanwhile (sealed under the old
        # key by a process not restarted yet) waits instead of being overwritten.
        rows = conn.execute(
            f"SELECT id, {', '.join(SECRET_COLUMNS)} FROM {TABLE} ORDER BY id FOR UPDATE"
        ).fetchall()
        for id, *values in rows:
            for column, value in zip(SECRET_COLUMNS, values, strict=True):
                if not value:
                    continue
                context = secret_context(column, id)
                if box.is_sealed(value):
                    if not reseal:
                        continue
                    value = box.open(value, context)
                conn.execute(
                    f"UPDATE {TABLE} SET {column} = %s WHERE id = %s",
                    [box.seal(value, context), id],
                )
                written += 1
    return written
