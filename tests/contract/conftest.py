"""Every storage port's contract runs against every adapter: memory, SQLite and
PostgreSQL (skipped, with the reason, where PostgreSQL is not installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.ports.unit_of_work import UnitOfWork


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    if request.param == "memory":
        memory = MemoryUnitOfWork()
        yield memory
        return
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        postgres = PostgresUnitOfWork(url, secret_box=AeadSecretBox.ephemeral())
        postgres.migrate()
        yield postgres
        postgres.close()
        return
    sqlite = SqliteUnitOfWork(tmp_path / "contract.db", secret_box=AeadSecretBox.ephemeral())
    sqlite.migrate()
    yield sqlite
    sqlite.close()
