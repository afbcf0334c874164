"""A database newer than the code, or one that cannot be written, is refused at open:
nothing is changed and the error says which file and why."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.sqlite import SqliteUnitOfWork
from connect.adapters.sqlite.schema import LATEST, MIGRATIONS, current_version, migrate, statements
from connect.bootstrap import Connect
from connect.domain.errors import SchemaTooNew, StorageUnavailable


def stamped(version: int) -> sqlite_utils.Database:
    db = sqlite_utils.Database(sqlite3.connect(":memory:", isolation_level=None))
    db.execute(f"PRAGMA user_version = {version:d}")
    return db


@given(st.integers(min_value=LATEST + 1, max_value=2**31 - 1))
def test_a_schema_newer_than_the_code_is_refused_and_left_as_it_is(version: int) -> None:
    db = stamped(version)
    with pytest.raises(SchemaTooNew) as raised:
        migrate(db, "the database x.db")
    assert current_version(db) == version
    assert db.table_names() == []
    assert f"x.db has schema version {version}" in str(raised.value)
    assert f"up to {LATEST}" in str(raised.value)


@given(st.sampled_from([0, *sorted(MIGRATIONS)]))
def test_a_schema_at_or_below_the_latest_is_brought_to_the_latest(version: int) -> None:
    db = stamped(0)
    for step in (v for v in sorted(MIGRATIONS) if v <= version):
        for statement in statements(MIGRATIONS[step]):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {version:d}")
    applied = migrate(db)
    assert current_version(db) == LATEST
    assert applied == [v for v in sorted(MIGRATIONS) if v > version]


def test_connect_open_refuses_a_newer_database_for_embedders_too(tmp_path: Path) -> None:
    path = tmp_path / "connect.db"
    Connect.open(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {LATEST + 5:d}")
    raw.close()
    with pytest.raises(SchemaTooNew, match=str(path)):
        Connect.open(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == LATEST + 5
    raw.close()


@pytest.mark.parametrize("where", ["missing/connect.db", "a-file/connect.db", "a-file"])
def test_a_database_that_cannot_be_created_or_read_is_storage_unavailable(
    tmp_path: Path, where: str
) -> None:
    (tmp_path / "a-file").write_text("not a database\n")
    path = tmp_path / where
    with pytest.raises(StorageUnavailable, match="cannot use the database"):
        Connect.open(path)
    # NOTE: without the key file step (a configured key), SQLite itself must refuse.
    uow = SqliteUnitOfWork(path)
    with pytest.raises(StorageUnavailable, match=str(path)):
        uow.migrate()
    uow.close()
    assert (tmp_path / "a-file").read_text() == "not a database\n"
