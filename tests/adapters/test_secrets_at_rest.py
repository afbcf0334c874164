"""Webhook secrets at rest on a real SQLite file: sealed, migrated, bound, private files."""

from __future__ import annotations

import base64
import os
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils
from falcon import testing

from connect.adapters.crypto import load_keyring
from connect.adapters.http import create_app
from connect.bootstrap import Connect
from connect.config import Config, ConfigError
from connect.domain.errors import SecretUnreadable
from connect.domain.keys import ALL_SCOPES
from connect.domain.requests.webhooks import WebhookRegistration
from tests.adapters.test_sqlite_schema import at_version
from tests.conftest import principal, stored_principal

URL = "https://hooks.example.com/in"
KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(bytes(range(5, 37))).decode()
CLEAR = "whsec_" + base64.b64encode(bytes(range(32))).decode()
OLD_CLEAR = "whsec_" + base64.b64encode(bytes(range(32, 64))).decode()


@contextmanager
def opened(db: Path, **env: str) -> Iterator[Connect]:
    connect = Connect.open(Config.from_env({"CONNECT_DB": str(db), **env}))
    try:
        yield connect
    finally:
        connect.close()


def stored(db: Path) -> list[dict[str, object]]:
    raw = sqlite_utils.Database(db)
    try:
        return list(raw.query("SELECT id, secret, previous_secret FROM webhooks_1 ORDER BY id"))
    finally:
        raw.close()


def register_and_rotate(connect: Connect) -> tuple[str, str]:
    owner = stored_principal(connect)
    issued = connect.webhooks.register(
        owner, WebhookRegistration(url=URL, events=["submission.created"])
    )
    rotated = connect.webhooks.rotate_secret(owner, issued.webhook.id, 3600)
    return issued.secret, rotated.secret


def test_webhook_secrets_are_stored_sealed_and_read_back_as_issued(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    with opened(db) as connect:
        first, second = register_and_rotate(connect)
        hook = connect.webhooks.get(principal(), 1)
    assert (hook.secret, hook.previous_secret) == (second, first)
    (row,) = stored(db)
    assert str(row["secret"]).startswith("v1:") and str(row["previous_secret"]).startswith("v1:")
    file_bytes = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in (first, second):
        assert secret.encode() not in file_bytes and secret[6:].encode() not in file_bytes


def test_a_sealed_secret_copied_to_another_row_does_not_open_there(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    with opened(db) as connect:
        register_and_rotate(connect)
        register_and_rotate(connect)
    raw = sqlite_utils.Database(db)
    raw.execute("UPDATE webhooks_1 SET secret = (SELECT secret FROM webhooks_1 WHERE id = 1)")
    raw.conn.commit()
    raw.close()
    with opened(db) as connect, pytest.raises(SecretUnreadable):
        connect.webhooks.get(principal(), 2)


def test_another_key_reads_no_secret_and_says_which_key_it_needs(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    with opened(db, CONNECT_SECRET_KEY=KEY_A) as connect:
        register_and_rotate(connect)
    with (
        opened(db, CONNECT_SECRET_KEY=KEY_B) as connect,
        pytest.raises(SecretUnreadable, match="not among CONNECT_SECRET_KEY"),
    ):
        connect.webhooks.get(principal(), 1)
    assert not (tmp_path / "connect.db.key").exists()  # a configured key needs no file


def test_opening_an_older_database_seals_the_secrets_it_stored_in_clear(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    at_version(db, 6)
    raw = sqlite_utils.Database(db)
    raw.execute(
        """INSERT INTO api_keys_1 (key_id, key_hash, name, scopes, created_by, created_at)
        VALUES ('rnc_live_abcdefgh', 'h', 'bot', '["webhooks:manage"]', 't',
            '2026-01-01T00:00:00Z')"""
    )
    raw.execute(
        """INSERT INTO webhooks_1 (url, events, secret, api_key_id, created_at,
            previous_secret, previous_secret_expires_at)
        VALUES (?, '["submission.created"]', ?, 1, '2026-01-01T00:00:00Z', ?,
            '2999-01-01T00:00:00Z')""",
        [URL, CLEAR, OLD_CLEAR],
    )
    raw.conn.commit()
    raw.close()
    with opened(db) as connect:
        hook = connect.webhooks.get(principal(), 1)
    assert (hook.secret, hook.previous_secret) == (CLEAR, OLD_CLEAR)
    (row,) = stored(db)
    assert CLEAR not in str(row) and OLD_CLEAR not in str(row)
    with opened(db) as connect:  # opening again changes nothing
        assert connect.webhooks.get(principal(), 1).secret == CLEAR
    assert stored(db) == [row]


def test_the_database_its_journal_files_and_the_key_file_are_private(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    previous = os.umask(0o022)  # what most shells have: files 0644 by default
    try:
        with opened(db) as connect:
            register_and_rotate(connect)
            files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}.key")]
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    finally:
        os.umask(previous)
    assert modes == dict.fromkeys(modes, 0o600)


def test_an_in_memory_connect_writes_no_key_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    connect = Connect.in_memory()
    owner = stored_principal(connect)
    connect.webhooks.register(owner, WebhookRegistration(url=URL, events=["submission.created"]))
    connect.close()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "value", ["not base64!", base64.b64encode(bytes(16)).decode(), KEY_A + "AAAA"]
)
def test_an_unusable_secret_key_is_a_clear_error_that_does_not_echo_it(value: str) -> None:
    with pytest.raises(ConfigError, match="CONNECT_SECRET_KEY must be") as refused:
        Config.from_env({"CONNECT_SECRET_KEY": value})
    assert value not in str(refused.value)


def test_standard_and_urlsafe_base64_keys_are_the_same_key() -> None:
    key = bytes([251, 255] * 16)
    urlsafe = base64.urlsafe_b64encode(key).decode().rstrip("=")
    standard = base64.b64encode(key).decode()
    assert Config.from_env({"CONNECT_SECRET_KEY": urlsafe}).secret_key == key
    assert Config.from_env({"CONNECT_SECRET_KEY": standard}).secret_key == key
    assert KEY_A not in repr(Config.from_env({"CONNECT_SECRET_KEY": KEY_A}))


def test_over_http_a_wrong_key_is_a_logged_server_problem_not_a_secret(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "connect.db"
    with opened(db, CONNECT_SECRET_KEY=KEY_A) as connect:
        register_and_rotate(connect)
        token = connect.keys.create(name="org", scopes=ALL_SCOPES, created_by="t").token
    with opened(db, CONNECT_SECRET_KEY=KEY_B) as connect:
        client = testing.TestClient(create_app(connect))
        auth = {"Authorization": f"Bearer {token}"}
        with caplog.at_level("ERROR", logger="connect.http"):
            answer = client.simulate_post("/api/v1/webhooks/1/rotate-secret", headers=auth, json={})
    assert answer.status_code == 500
    assert answer.json["type"].endswith("#problem-secret-unreadable")
    assert "webhooks_1.secret:1" in caplog.text and "whsec_" not in answer.text


def test_processes_starting_together_agree_on_one_key_file(tmp_path: Path) -> None:
    db = str(tmp_path / "connect.db")
    with ThreadPoolExecutor(8) as pool:
        rings = list(pool.map(lambda _: load_keyring(db, None, None), range(16)))
    assert len({ring.keys for ring in rings}) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["connect.db.key"]
