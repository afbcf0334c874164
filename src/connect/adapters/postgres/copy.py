"""Copying a SQLite database into PostgreSQL, for ``connect migrate-data``.

Every table is copied with its ids (so sealed webhook secrets, whose context names the
row, still open), in one transaction on the target: all or nothing. The SQLite side is
read with the standard library's ``sqlite3`` inside one read transaction (one snapshot);
it is migrated by the caller before, never written here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

import psycopg
from attrs import frozen

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.postgres.schema import TABLES
from connect.adapters.postgres.submissions import document_text, search_text
from connect.adapters.sql.submissions import COLUMNS, submission_from_values
from connect.adapters.stored_secrets import SECRET_COLUMNS, SELECT_SECRETS, secret_context
from connect.domain.errors import Conflict, SecretUnreadable, StorageUnavailable
from connect.domain.time import parse_instant
from connect.ports.secrets import SecretBox

Connection = psycopg.Connection[tuple[Any, ...]]

# Each table's key where it is not ``id``: rows are read in its order, and a key of one
# column is the identity column new rows go on from.
_KEYS = {"events_1": "position", "idempotency_keys_1": "api_key_id, idempotency_key"}
_BATCH = 1000


@frozen
class TableCopy:
    """One table's rows: ``found`` in SQLite, ``copied`` into PostgreSQL (the others
    were there already, with ``--force``)."""

    table: str
    found: int
    copied: int


def open_read_only(path: str) -> sqlite3.Connection:
    """The SQLite file, opened so that nothing can be written through the connection.

    Raises:
        StorageUnavailable: the file cannot be opened.
    """
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise StorageUnavailable(f"cannot read the database {path}: {e}") from e


def check_secrets_open(source: sqlite3.Connection, box: SecretBox, where: str) -> None:
    """Open every sealed webhook secret of ``source`` with ``box``.

    Raises:
        SecretUnreadable: one does not open (the configured key is not the one that
            sealed them); names the first such webhook, never a secret.
    """
    try:
        found = source.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'webhooks_1'"
        ).fetchone()[0]
        rows = source.execute(f"{SELECT_SECRETS} ORDER BY id").fetchall() if found else []
    except sqlite3.Error as e:
        raise StorageUnavailable(f"cannot read the database {where}: {e}") from e
    for id, *values in rows:
        for column, value in zip(SECRET_COLUMNS, values, strict=True):
            if not value or not box.is_sealed(value):
                continue
            try:
                box.open(value, secret_context(column, id))
            except SecretUnreadable as e:
                raise SecretUnreadable(
                    f"the configured CONNECT_SECRET_KEY does not open webhook {id}'s secret in"
                    f" {where}: set it to the key that sealed them (the first line of"
                    f" {where}.key, or the CONNECT_SECRET_KEY that database ran with)"
                ) from e


def non_empty_tables(target: Connection) -> list[str]:
    """The tables of ``target`` that already hold rows, in copy order."""
    probes = ", ".join(f"EXISTS (SELECT 1 FROM {table})" for table in TABLES)
    row = target.execute(f"SELECT {probes}").fetchone()
    assert row is not None
    return [table for table, full in zip(TABLES, row, strict=True) if full]


def _converters(target: Connection, table: str) -> dict[str, Callable[[Any], Any]]:
    """Each target column with how a SQLite value becomes its PostgreSQL value."""
    by_type: dict[str, Callable[[Any], Any]] = {
        "timestamp with time zone": lambda v: parse_instant(v) if v else None,
        "boolean": lambda v: None if v is None else bool(v),
        "date": lambda v: date.fromisoformat(v) if v else None,
    }
    rows = target.execute(
        """SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
        [table],
    ).fetchall()
    return {name: by_type.get(kind, lambda v: v) for name, kind in rows}


def _submission_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The columns the SQLite file has no equivalent of: the API document (rendered by
    the same function as the API) and the folded search text."""
    try:
        submission = submission_from_values([row[c] for c in COLUMNS.split(", ")], POSTGRES)
    except KeyError as e:
        raise ValueError(f"{e} is not a status or a mode") from e
    # NOTE: the same functions the store writes every row with: a copied row is
    # searched and listed exactly like one written through Connect.
    return {
        "document": document_text(submission),
        "search_text": search_text(row["speaker_name"], row["talk_context"]),
    }


def _delivery_fields(row: dict[str, Any]) -> dict[str, Any]:
    """No lease survives the move: the worker holding it ran on the SQLite file. A
    delivery it was sending is due again at once (receivers deduplicate by event id)."""
    cleared: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None}
    if row["status"] == "in_flight":
        cleared["status"] = "pending"
        cleared["next_attempt_at"] = row["next_attempt_at"] or row["updated_at"]
    return cleared


_DERIVED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "talk_submissions_3": _submission_fields,
    "webhook_deliveries_1": _delivery_fields,
}


def _rows(
    source: sqlite3.Connection, table: str, key: str, columns: Sequence[str]
) -> Iterator[list[dict[str, Any]]]:
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}")
    while batch := cursor.fetchmany(_BATCH):
        yield [dict(zip(columns, values, strict=True)) for values in batch]


def _copy_table(
    source: sqlite3.Connection, target: Connection, table: str, force: bool
) -> TableCopy:
    key = _KEYS.get(table, "id")
    convert = _converters(target, table)
    derive = _DERIVED.get(table)
    present = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    read = [c for c in convert if c in present]
    columns = list(convert)
    missing = [c for c in columns if c not in read and derive is None]
    if missing:
        raise StorageUnavailable(f"the SQLite table {table} has no column {missing[0]}")
    # NOTE: with --force a row whose id (or other unique key) is already there is left
    # as it is: re-running a finished copy adds nothing and changes nothing.
    conflict = " ON CONFLICT DO NOTHING" if force else ""
    insert = (
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" VALUES ({', '.join('%s' for _ in columns)}){conflict}"
    )
    found = copied = 0
    with target.cursor() as cursor:
        for batch in _rows(source, table, key, read):
            values = []
            for raw in batch:
                try:
                    row = {c: convert[c](raw.get(c)) for c in columns}
                    if derive is not None:
                        row.update(derive(row))
                except ValueError as e:
                    # NOTE: a value no Connect release wrote (hand edits): name the row
                    # rather than fail with a traceback; nothing is written.
                    where = ", ".join(f"{k} {raw[k]}" for k in key.split(", "))
                    raise StorageUnavailable(f"{table} row {where} cannot be copied: {e}") from e
                values.append([row[c] for c in columns])
            cursor.executemany(insert, values)
            found += len(values)
            copied += max(cursor.rowcount, 0)
    return TableCopy(table, found, copied)


def _advance_identities(source: sqlite3.Connection, target: Connection) -> None:
    """Set every identity sequence past the largest id either side ever gave out, so a
    new row never takes the id of a copied (or deleted and erased) one."""
    given = dict(source.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
    for table in TABLES:
        if "," in (column := _KEYS.get(table, "id")):
            continue
        row = target.execute(f"SELECT max({column}) FROM {table}").fetchone()
        highest = max(int(row[0] or 0) if row else 0, int(given.get(table) or 0))
        if highest > 0:
            target.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, true)",
                [table, column, highest],
            )


def copy_database(
    source: sqlite3.Connection, target: Connection, *, force: bool, where: str
) -> list[TableCopy]:
    """Copy every table of ``source`` (a migrated SQLite file) into ``target`` (a
    migrated, autocommit PostgreSQL connection), in one transaction.

    Args:
        force: copy into tables that already hold rows, skipping the rows whose id
            (or other unique key) is there already.
        where: the target as it may be printed (no password).

    Raises:
        Conflict: the target holds rows and ``force`` is not set (nothing is written).
        StorageUnavailable: the target refused a row (nothing is written).
    """
    source.execute("BEGIN")  # one snapshot of the file for every table
    try:
        with target.transaction():
            # NOTE: writers wait until the copy commits (readers do not), so the
            # emptiness checked here still holds when the rows arrive.
            target.execute(f"LOCK TABLE {', '.join(TABLES)} IN EXCLUSIVE MODE")
            full = non_empty_tables(target)
            if full and not force:
                raise Conflict(
                    f"{where} already holds rows in {', '.join(full)}: nothing was copied"
                    " (--force copies anyway, skipping rows whose ids are already there)"
                )
            copies = [_copy_table(source, target, table, force) for table in TABLES]
            _advance_identities(source, target)
    except sqlite3.Error as e:
        raise StorageUnavailable(f"cannot read the SQLite file: {e}") from e
    except psycopg.Error as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise StorageUnavailable(f"cannot copy into {where}: {reason}") from e
    finally:
        source.execute("ROLLBACK")
    return copies
