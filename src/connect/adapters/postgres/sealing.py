"""Sealing the webhook secrets already stored in PostgreSQL: the clear ones (at every
migrate), or all of them under a new key (``connect rotate-encryption-key``).

NOTE: not a numbered migration, as in SQLite: it needs the key, which SQL does not
have, and it is idempotent (a sealed value is left alone).
"""

from __future__ import annotations

from typing import Any

import psycopg

from connect.adapters.stored_secrets import SECRET_COLUMNS, TABLE, resealed, secret_context
from connect.ports.secrets import SecretBox


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
                sealed = resealed(box, value, secret_context(column, id), reseal=reseal)
                if sealed is not None:
                    conn.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [sealed, id])
                    written += 1
    return written
