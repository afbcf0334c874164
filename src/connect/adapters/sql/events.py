"""The event feed (``events_1``): what both SQL engines do the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from connect.adapters.sql.dialect import Dialect, Run, SqlStore
from connect.domain.events import Event, EventType
from connect.domain.feed import FeedEvent, subject
from connect.domain.mode import Mode

TABLE: Final = "events_1"
COLUMNS: Final = "position, id, type, mode, timestamp, submission_id, body"
INSERT: Final = f"INSERT INTO {TABLE} (id, type, mode, timestamp, submission_id, body)"


class SqlEventStore(SqlStore):
    """The feed over one connection.

    Args:
        add: the statement appending one event (six parameters, in ``INSERT``'s
            order) and returning its ``COLUMNS``.
    """

    def __init__(self, run: Run, dialect: Dialect, add: str) -> None:
        super().__init__(run, dialect)
        self._add = add

    def _event(self, row: Sequence[Any]) -> FeedEvent:
        position, id, kind, mode, timestamp, submission_id, body = row
        return FeedEvent(
            position=position,
            id=id,
            type=EventType(kind),
            mode=Mode(mode),
            timestamp=self._dialect.read_at(timestamp),
            body=body.encode(),
            submission_id=submission_id,
        )

    def _types(self, types: frozenset[EventType] | None) -> tuple[str, list[Any]]:
        if types is None:
            return "", []
        term, params = self._dialect.any_of("type", sorted(t.value for t in types))
        return f" AND {term}", params

    def add(self, event: Event) -> FeedEvent:
        values = [
            event.id,
            event.type.value,
            event.mode.value,
            self._dialect.bind_instant(event.timestamp),
            subject(event),
            event.body().decode(),
        ]
        return self._event(self._run(self._add, values).fetchone())

    def page(
        self,
        mode: Mode,
        *,
        limit: int,
        after: int | None = None,
        types: frozenset[EventType] | None = None,
    ) -> Sequence[FeedEvent]:
        kinds, chosen = self._types(types)
        m = self._dialect.mark
        rows = self._run(
            f"""SELECT {COLUMNS} FROM {TABLE}
            WHERE mode = {m} AND position > {m}{kinds} ORDER BY position LIMIT {m}""",
            [mode.value, after or 0, *chosen, limit],
        ).fetchall()
        return [self._event(r) for r in rows]

    def last(self, mode: Mode, types: frozenset[EventType] | None = None) -> int | None:
        kinds, chosen = self._types(types)
        row = self._run(
            f"SELECT max(position) FROM {TABLE} WHERE mode = {self._dialect.mark}{kinds}",
            [mode.value, *chosen],
        ).fetchone()
        return int(row[0]) if row is not None and row[0] is not None else None
