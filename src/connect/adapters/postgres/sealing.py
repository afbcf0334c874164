"""Sealing the webhook secrets already stored in PostgreSQL: the clear ones (at every
migrate), or all of them under a new key (``connect rotate-encryption-key``).

NOTE: not a numbered migration, as in SQLite: it needs the key, which SQL does not
have, and it is idempotent (a sealed value is left alone).
"""

from __future__ import annotations

from typing import Any

import psycopg

from connect.adapters.stored_secrets import SELECT_SECRETS, TABLE, sealing_pass
from connect.ports.secrets import SecretBox


def seal_secrets(
    conn: psycopg.Connection[tuple[Any, ...]], box: SecretBox, *, reseal: bool = False
) -> int:
    """Seal every secret stored in clear (with ``reseal``, re-seal every one under the
    box's current key) in one transaction; returns how many values were written.

    Raises:
        SecretUnreadable: a sealed value does not open (nothing is written then).
    """
    with conn.transaction():
        # NOTE: the rows are locked so a webhook saved meanwhile (sealed under the old
        # key by a process not restarted yet) waits instead of being overwritten.
        rows = conn.execute(f"{SELECT_SECRETS} ORDER BY id FOR UPDATE").fetchall()
        writes = sealing_pass(rows, box, reseal=reseal)
        for column, sealed, id in writes:
            conn.execute(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [sealed, id])
    return len(writes)
