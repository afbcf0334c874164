from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from falcon import testing

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.http import create_app
from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.testing import FixedEntropy, ManualClock, RecordingSender, Sha256Hasher

# NOTE: rate limits run on the real monotonic clock; a test sending hundreds of requests
# in a second would otherwise only ever see 429s.
UNLIMITED = Config(
    rate_limit_per_minute=10**9,
    export_limit_per_hour=10**9,
    form_limit=(10**9, 1),
    auth_failure_limit=(10**9, 1),
)


@pytest.fixture(params=["memory", "sqlite"])
def connect(request: pytest.FixtureRequest) -> Connect:
    """The app's services over each storage: SQLite has limits memory has not."""
    name = "memory_connect" if request.param == "memory" else "sqlite_connect"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def client(connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(connect))


def _bystander_and_organizer(connect: Connect) -> str:
    # NOTE: key 1 is a bystander, so fuzzed DELETE/rotate of /keys/1 do not lock us out.
    connect.keys.create(name="bystander", scopes=ALL_SCOPES, created_by="t")
    return connect.keys.create(name="organizer", scopes=ALL_SCOPES, created_by="t").token


@pytest.fixture
def organizer(connect: Connect) -> str:
    return _bystander_and_organizer(connect)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def offline_connect(
    request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock
) -> Iterator[Connect]:
    """Services whose webhooks go to a ``RecordingSender`` (never the network) and whose
    rate limits never bite: for tests that send many requests or test-send webhooks."""
    config = UNLIMITED.with_(db=str(tmp_path / "connect.db"))
    uow: MemoryUnitOfWork | SqliteUnitOfWork | PostgresUnitOfWork
    if request.param == "memory":
        uow = MemoryUnitOfWork()
    elif request.param == "postgres":
        config = config.with_(db=request.getfixturevalue("postgres_url"))
        uow = PostgresUnitOfWork(config.db, secret_box=AeadSecretBox.ephemeral())
        uow.migrate()
    else:
        uow = sqlite_storage(config)  # webhook secrets sealed with the key file beside it
        uow.migrate()
    connect = bootstrap(
        config,
        uow,
        clock=clock,
        entropy=FixedEntropy(7),
        hasher=Sha256Hasher(),
        sender=RecordingSender(),
    )
    yield connect
    connect.close()


@pytest.fixture
def offline_client(offline_connect: Connect) -> testing.TestClient:
    return testing.TestClient(create_app(offline_connect))


@pytest.fixture
def offline_organizer(offline_connect: Connect) -> str:
    return _bystander_and_organizer(offline_connect)
