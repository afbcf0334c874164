"""Reading rows with as few trips through the sqlite3 module as possible.

NOTE: Python's sqlite3 releases the GIL around every step, i.e. once per row. Under a
threaded server each release means waiting to take the GIL back behind busy threads,
so a 50-row page cost tens of milliseconds at 16 connections. Folding the rows into one
JSON value makes the whole page one step. sqlite-utils' ``query()`` is bypassed here
for the same reason: it wraps every SELECT in a savepoint (two more statements).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils


def select_all(
    db: sqlite_utils.Database, columns: Sequence[str], query: str, params: Sequence[Any]
) -> list[dict[str, Any]]:
    """The rows of ``query`` (which selects ``columns``) as dicts, in one step.

    The caller re-sorts if order matters: an aggregate does not promise its input order.
    """
    pairs = ", ".join(f"'{c}', {c}" for c in columns)
    sql = f"SELECT json_group_array(json_object({pairs})) FROM ({query})"
    (text,) = db.execute(sql, list(params)).fetchone()
    rows: list[dict[str, Any]] = json.loads(text)
    return rows


def select_one(
    db: sqlite_utils.Database, table: str, where: str, params: Sequence[Any]
) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 1", list(params))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((d[0] for d in cursor.description), row, strict=True))
