"""The few ways the two SQL engines differ in the statements they share."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any, Protocol

from attrs import frozen


class Cursor(Protocol):
    """What ``sqlite3`` and psycopg cursors both answer."""

    @property
    def description(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Run(Protocol):
    """``sqlite_utils.Database.execute`` and ``psycopg.Connection.execute`` both fit."""

    def __call__(self, sql: str, params: Any = None, /) -> Cursor: ...


# NOTE: compared and hashed by identity (there are two, module constants): a dialect is
# part of a memoized key's cache key, read on every request.
@frozen(eq=False)
class Dialect:
    """How an engine marks parameters, binds instants, dates and lists, and reads them."""

    mark: str
    """The parameter marker: ``?`` (sqlite3) or ``%s`` (psycopg)."""
    named_mark: str
    """The marker of a named parameter, ``{}`` standing for its name."""
    arrays: bool
    """A list is bound as one array parameter (PostgreSQL), not a mark per item."""
    bind_instant: Callable[[datetime | None], Any]
    """An instant as bound: whole seconds, as every store keeps them."""
    bind_day: Callable[[date | None], Any]
    read_at: Callable[[Any], datetime]
    """An instant column that is never NULL, as read."""
    read_moment: Callable[[Any], datetime | None]
    read_day: Callable[[Any], date | None]

    def marks(self, count: int) -> str:
        return ", ".join(self.mark for _ in range(count))

    def any_of(self, column: str, values: Collection[Any]) -> tuple[str, list[Any]]:
        """A term true when ``column`` is one of ``values``, and its parameters."""
        if self.arrays:
            return f"{column} = ANY({self.mark})", [list(values)]
        return f"{column} IN ({self.marks(len(values))})", list(values)

    def where(self, *terms: tuple[str, Any]) -> tuple[str, list[Any]]:
        """A WHERE clause of the ``(term, value)`` pairs whose value is not ``None``,
        each term a column and an operator (``"id <"``), and its parameters."""
        kept = [(term, value) for term, value in terms if value is not None]
        clause = " AND ".join(f"{term} {self.mark}" for term, _ in kept)
        return clause or "1 = 1", [value for _, value in kept]

    def none_of(self, column: str, values: Collection[Any]) -> tuple[str, list[Any]]:
        """An ``AND`` term true when ``column`` is none of ``values`` (nothing for no
        values), and its parameters."""
        if not values:
            return "", []
        term, params = self.any_of(column, values)
        return f" AND NOT ({term})", params


class SqlStore:
    """A store over one connection: ``run`` executes its statements, written in
    ``dialect``."""

    def __init__(self, run: Run, dialect: Dialect) -> None:
        self._run = run
        self._dialect = dialect


def dicts(cursor: Cursor) -> list[dict[str, Any]]:
    """The cursor's remaining rows as dicts by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def count(cursor: Cursor) -> int:
    """The first column of the cursor's one row, as an int (0 for NULL)."""
    row = cursor.fetchone()
    return int(row[0] or 0) if row is not None else 0
