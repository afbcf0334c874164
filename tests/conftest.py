"""Fixtures shared by every layer of tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from connect.adapters.memory import FixedEntropy, ManualClock, MemoryUnitOfWork, Sha256Hasher
from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Principal, Scope
from connect.domain.mode import Mode
from connect.ports.sender import WebhookSender
from connect.ports.system import Clock

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
