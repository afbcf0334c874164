"""What the two SQL engines share is told apart by their dialect: a list term matches
exactly the rows whose value is listed, and an instant reads back as the whole second
it was bound as, in both engines."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.postgres.instants import POSTGRES
from connect.adapters.sqlite.rows import SQLITE
from connect.domain.time import truncate_to_second

small = st.integers(-5, 20)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
)
instants = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=zones
)


@given(st.lists(small, max_size=12), st.lists(small, min_size=1, max_size=6))
def test_sqlite_any_of_matches_exactly_the_listed_values(
    rows: list[int], listed: list[int]
) -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v INTEGER)")
    db.executemany("INSERT INTO t VALUES (?)", [[v] for v in rows])
    term, params = SQLITE.any_of("v", listed)
    (found,) = db.execute(f"SELECT count(*) FROM t WHERE {term}", params).fetchone()
    assert found == sum(1 for v in rows if v in listed)


@given(st.lists(small, max_size=6))
def test_postgres_any_of_binds_the_list_as_one_array(listed: list[int]) -> None:
    assert POSTGRES.any_of("v", listed) == ("v = ANY(%s)", [listed])


@given(instants)
def test_an_instant_reads_back_as_the_whole_second_it_was_bound_as(moment: datetime) -> None:
    for dialect in (SQLITE, POSTGRES):
        read = dialect.read_at(dialect.bind_instant(moment))
        assert read == truncate_to_second(moment) and read.tzinfo is UTC
        assert dialect.read_moment(dialect.bind_instant(None)) is None


@given(st.one_of(st.none(), st.dates()))
def test_a_date_reads_back_as_bound(day: date | None) -> None:
    for dialect in (SQLITE, POSTGRES):
        assert dialect.read_day(dialect.bind_day(day)) == day
