"""``connect rotate-encryption-key`` on a real SQLite file, run as an operator would."""

from __future__ import annotations

import base64
from pathlib import Path

import sqlite_utils

from connect.adapters.crypto import key_id
from connect.adapters.crypto.keyring import read_key_file
from connect.bootstrap import Connect
from connect.config import Config
from tests.adapters.test_secrets_at_rest import KEY_A, KEY_B, register_and_rotate, stored
from tests.conftest import principal
from tests.e2e.test_cli import run


def secrets_of(db: Path, **env: str) -> list[tuple[str, str | None]]:
    connect = Connect.open(Config.from_env({"CONNECT_DB": str(db), **env}))
    try:
        hooks = connect.webhooks.list(principal(), limit=100, cursor=None).items
        return sorted((h.secret, h.previous_secret) for h in hooks)
    finally:
        connect.close()


def seed(db: Path, **env: str) -> list[tuple[str, str | None]]:
    connect = Connect.open(Config.from_env({"CONNECT_DB": str(db), **env}))
    try:
        for _ in range(3):
            register_and_rotate(connect)
    finally:
        connect.close()
    return secrets_of(db, **env)


def kids(db: Path) -> set[str]:
    return {str(v).split(":")[1] for r in stored(db) for v in (r["secret"], r["previous_secret"])}


def test_with_the_key_file_every_secret_moves_to_a_new_key_and_the_old_one_is_gone(
    tmp_path: Path,
) -> None:
    db = tmp_path / "connect.db"
    before = seed(db)
    (old,) = read_key_file(tmp_path / "connect.db.key")
    rotated = run("rotate-encryption-key", db=db)
    assert rotated.returncode == 0, rotated.stderr
    (new,) = read_key_file(tmp_path / "connect.db.key")
    assert new != old and kids(db) == {key_id(new)}
    assert f"re-encrypted 6 webhook secrets under key {key_id(new)}" in rotated.stdout
    assert secrets_of(db) == before


def test_with_environment_keys_the_new_key_comes_from_connect_secret_key_new(
    tmp_path: Path,
) -> None:
    db = tmp_path / "connect.db"
    before = seed(db, CONNECT_SECRET_KEY=KEY_A)
    refused = run("rotate-encryption-key", db=db, env={"CONNECT_SECRET_KEY": KEY_A})
    assert refused.returncode == 1 and "CONNECT_SECRET_KEY_NEW" in refused.stderr
    rotated = run(
        "rotate-encryption-key",
        db=db,
        env={"CONNECT_SECRET_KEY": KEY_A, "CONNECT_SECRET_KEY_NEW": KEY_B},
    )
    assert rotated.returncode == 0, rotated.stderr
    assert "make CONNECT_SECRET_KEY the value of CONNECT_SECRET_KEY_NEW" in rotated.stdout
    assert kids(db) == {key_id(base64.urlsafe_b64decode(KEY_B))}
    assert secrets_of(db, CONNECT_SECRET_KEY=KEY_B) == before
    assert not (tmp_path / "connect.db.key").exists()


def test_a_rotation_that_fails_midway_changes_nothing_and_loses_no_key(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    seed(db)
    (old,) = read_key_file(tmp_path / "connect.db.key")
    # The last row cannot be opened (damaged by hand): the rotation stops there.
    raw = sqlite_utils.Database(db)
    raw.execute("UPDATE webhooks_1 SET secret = 'v1:00000000:AAAA' WHERE id = 3")
    raw.conn.commit()
    raw.close()
    rows_before = stored(db)
    failed = run("rotate-encryption-key", db=db)
    assert failed.returncode == 1 and "webhooks_1.secret:3" in failed.stderr
    assert stored(db) == rows_before  # one transaction: no row was re-sealed
    keys = read_key_file(tmp_path / "connect.db.key")
    assert old in keys  # the key the rows need is still there
    connect = Connect.open(db)
    try:
        assert connect.webhooks.get(principal(), 1).secret
    finally:
        connect.close()
