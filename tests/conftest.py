"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Principal, Scope
from connect.domain.mode import Mode
from connect.ports.sender import WebhookSender
from connect.ports.system import Clock
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def memory_connect(clock: ManualClock) -> Iterator[Connect]:
    """Services over memory storage, a manual clock, seeded randomness and fast hashing."""
    connect = bootstrap(
        Config(db=":memory:"),
        MemoryUnitOfWork(),
        clock=clock,
        entropy=FixedEntropy(7),
        hasher=Sha256Hasher(),
    )
    yield connect
    connect.close()


@pytest.fixture
def sqlite_connect(tmp_path: Path, clock: ManualClock) -> Iterator[Connect]:
    """The same services over a real SQLite file."""
    config = Config(db=str(tmp_path / "connect.db"))
    uow = sqlite_storage(config)  # webhook secrets sealed with the key file beside it
    uow.migrate()
    connect = bootstrap(
        config,
        uow,
        clock=clock,
        entropy=FixedEntropy(7),
        hasher=Sha256Hasher(),
    )
    yield connect
    connect.close()


def principal(mode: Mode = Mode.LIVE, scopes: frozenset = ALL_SCOPES, key: int = 1) -> Principal:
    """A caller with the given scopes, for service tests that skip authentication."""
    prefix = "rnc_live_" if mode is Mode.LIVE else "rnc_test_"
    return Principal(key=key, key_id=f"{prefix}abcdefgh", scopes=frozenset(scopes), mode=mode)


def stored_principal(
    connect: Connect, mode: Mode = Mode.LIVE, scopes: frozenset = frozenset({Scope.WEBHOOKS_MANAGE})
) -> Principal:
    """A caller backed by a stored key: a webhook's owner must be a key that exists."""
    issued = connect.keys.create(
        name="owner", scopes=frozenset(scopes), mode=mode, created_by="tests"
    )
    return Principal.of(issued.key)


def recording_connect(
    clock: Clock, sender: WebhookSender, *, seed: int = 3, **settings: Any
) -> Connect:
    """Services over memory storage whose webhooks go to ``sender``: a manual clock,
    seeded randomness, fast hashing, and ``settings`` over the default Config."""
    return bootstrap(
        Config(db=":memory:", **settings),
        MemoryUnitOfWork(),
        clock=clock,
        entropy=FixedEntropy(seed),
        hasher=Sha256Hasher(),
        sender=sender,
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server for this test session: a throw-away cluster
    (``tests/postgres_cluster.py``), or ``CONNECT_TEST_POSTGRES_URL``.

    Without PostgreSQL the test is skipped with the reason; with
    ``CONNECT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) it fails instead.
    """
    from tests.postgres_cluster import Cluster, find_bin

    given = os.environ.get("CONNECT_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    bin_dir = find_bin()
    if bin_dir is None:
        reason = (
            "PostgreSQL tests need PostgreSQL's programs (Debian: apt-get install postgresql)"
            " or CONNECT_TEST_POSTGRES_URL"
        )
        if os.environ.get("CONNECT_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with Cluster(bin_dir) as cluster:
        yield cluster.url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    from tests.postgres_cluster import create_database, drop_database, with_database

    name = f"connect_test_{uuid.uuid4().hex[:12]}"
    create_database(postgres_server, name)
    yield with_database(postgres_server, name)
    drop_database(postgres_server, name)


@pytest.fixture
def postgres_connect(postgres_url: str, clock: ManualClock) -> Iterator[Connect]:
    """The same services over a new, empty PostgreSQL database (skipped, with the
    reason, where PostgreSQL is not installed)."""
    from connect.adapters.crypto import AeadSecretBox
    from connect.adapters.postgres import PostgresUnitOfWork

    uow = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox.ephemeral())
    uow.migrate()
    connect = bootstrap(
        Config(db=postgres_url),
        uow,
        clock=clock,
        entropy=FixedEntropy(7),
        hasher=Sha256Hasher(),
    )
    yield connect
    connect.close()
