"""Sealing the webhook secrets already stored: the clear ones left by versions before
encryption at rest (at every open), or all of them under a new key (a rotation).

NOTE: not a numbered migration: it needs the key, which SQL does not have, and it is
idempotent (a sealed value is left alone), so running it at every open is safe.
"""

from __future__ import annotations

import sqlite_utils

from connect.adapters.stored_secrets import SELECT_SECRETS, TABLE, sealing_pass
from connect.ports.secrets import SecretBox


def seal_secrets(db: sqlite_utils.Database, box: SecretBox, *, reseal: bool = False) -> int:
    """Seal every secret stored in clear (and, with ``reseal``, re-seal every sealed one
    under the box's current key), in one transaction: all or nothing.

    Returns how many values were written.

    Raises:
        SecretUnreadable: a sealed value does not open with the box's keys (nothing is
            written then).
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        writes = sealing_pass(db.execute(SELECT_SECRETS).fetchall(), box, reseal=reseal)
        for column, sealed, id in writes:
            db.execute(f"UPDATE {TABLE} SET {column} = ? WHERE id = ?", [sealed, id])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return len(writes)
