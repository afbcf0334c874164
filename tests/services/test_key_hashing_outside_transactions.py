"""argon2 runs outside every transaction: while a new key's token is being hashed,
another writer gets SQLite's write lock at once (no busy wait, no 'database is
locked')."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect.adapters.sqlite import SqliteUnitOfWork
from connect.bootstrap import Connect, bootstrap
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Scope
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher
from tests.conftest import principal

READ = frozenset({Scope.SUBMISSIONS_READ})


class ProbingHasher(Sha256Hasher):
    """Hashes, and at that moment tries to take the write lock from another connection
    without waiting: it gets it only if no transaction holds it."""

    def __init__(self, db: Path) -> None:
        super().__init__()
        self._db = db
        self.lock_free: list[bool] = []

    def hash(self, token: str) -> str:
        other = sqlite3.connect(self._db, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.lock_free.append(True)
        except sqlite3.OperationalError:
            self.lock_free.append(False)
        finally:
            other.close()
        return super().hash(token)


def open_connect(db: Path, hasher: ProbingHasher, seed: int = 3) -> Connect:
    uow = SqliteUnitOfWork(db)
    uow.migrate()
    return bootstrap(
        Config(db=str(db)), uow, clock=ManualClock(), entropy=FixedEntropy(seed), hasher=hasher
    )


@pytest.fixture
def probed(tmp_path: Path) -> Iterator[tuple[Connect, ProbingHasher]]:
    hasher = ProbingHasher(tmp_path / "connect.db")
    connect = open_connect(tmp_path / "connect.db", hasher)
    yield connect, hasher
    connect.close()


def test_creating_a_key_hashes_with_no_write_lock_held(
    probed: tuple[Connect, ProbingHasher],
) -> None:
    connect, hasher = probed
    issued = connect.keys.create(name="zap", scopes=READ, created_by="t")
    assert hasher.lock_free == [True]
    assert connect.keys.authenticate(issued.token).key_id == issued.key.key_id


def test_rotating_a_key_hashes_with_no_write_lock_held(
    probed: tuple[Connect, ProbingHasher],
) -> None:
    connect, hasher = probed
    old = connect.keys.create(name="zap", scopes=READ, created_by="t")
    rotated = connect.keys.rotate(principal(), old.key.key_id, grace_seconds=0)
    assert hasher.lock_free == [True, True]
    assert rotated.key.name == "zap" and rotated.key.key_id != old.key.key_id
    assert connect.keys.authenticate(rotated.token).key_id == rotated.key.key_id


def test_the_first_organizer_key_hashes_with_no_write_lock_held(
    probed: tuple[Connect, ProbingHasher],
) -> None:
    connect, hasher = probed
    issued = connect.keys.ensure_organizer_key()
    assert issued is not None and issued.key.scopes == ALL_SCOPES
    assert hasher.lock_free == [True]
    assert connect.keys.ensure_organizer_key() is None
    assert hasher.lock_free == [True], "no hash when there are keys already"


def test_a_key_id_collision_rolls_back_and_hashes_a_new_token_outside(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    first = open_connect(db, ProbingHasher(db), seed=9)
    taken = first.keys.create(name="first", scopes=READ, created_by="t")
    first.close()
    hasher = ProbingHasher(db)
    second = open_connect(db, hasher, seed=9)  # the same randomness: the same first token
    try:
        issued = second.keys.create(name="second", scopes=READ, created_by="t")
        assert issued.key.key_id != taken.key.key_id
        assert hasher.lock_free == [True, True]
        assert [k.name for k in second.keys.list(principal(), limit=10, cursor=None).items] == [
            "second",
            "first",
        ]
    finally:
        second.close()
