"""Every storage port's contract runs against every adapter: memory and SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.ports.unit_of_work import UnitOfWork


@pytest.fixture(params=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    if request.param == "memory":
        memory = MemoryUnitOfWork()
        yield memory
        return
    sqlite = SqliteUnitOfWork(tmp_path / "contract.db", secret_box=AeadSecretBox.ephemeral())
    sqlite.migrate()
    yield sqlite
    sqlite.close()
