"""Reading rows with as few trips through the sqlite3 module as possible.

NOTE: Python's sqlite3 releases the GIL around every step, i.e. once per row. Under a
threaded server each release means waiting to take the GIL back behind busy threads,
so a 50-row page cost tens of milliseconds at 16 connections. Folding the rows into one
JSON value makes the whole page one step.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils


def select_all(
    db: sqlite_utils.Database, columns: str, query: str, params: Sequence[Any]
) -> list[list[Any]]:
    """The rows of ``query`` (which selects ``columns``, a comma-separated list), in one
    step.

    The caller re-sorts if order matters: an aggregate does not promise its input order.
    """
    sql = f"SELECT json_group_array(json_array({columns})) FROM ({query})"
    (text,) = db.execute(sql, list(params)).fetchone()
    rows: list[list[Any]] = json.loads(text)
    return rows
