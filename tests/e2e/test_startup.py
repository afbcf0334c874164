"""Starting Connect as an operator does: the real ``connect`` process, a real database
file. A start that cannot work ends with one clear line on stderr and exit status 1;
a restart says how to make an organizer key, with a command that works as printed."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect.adapters.sqlite.schema import LATEST
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES
from tests.e2e.test_cli import run, start_serve

pytestmark = pytest.mark.e2e


def assert_one_clear_line(stderr: str, *parts: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("connect: error: "), stderr
    assert "Traceback" not in stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])


@pytest.fixture
def busy_port() -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener.getsockname()[1]
    listener.close()


def test_a_busy_port_is_one_line_and_status_1_and_does_not_make_the_key_it_cannot_show(
    tmp_path: Path, busy_port: int
) -> None:
    db = tmp_path / "connect.db"
    refused = run("serve", "--port", str(busy_port), "--no-worker", db=db)
    assert refused.returncode == 1
    assert_one_clear_line(refused.stderr, f"port {busy_port}", "in use", "--port")
    assert "rnc_live_" not in refused.stdout
    assert json.loads(run("keys", "list", "--json", db=db).stdout)["data"] == []

    process, lines = start_serve(db)
    try:
        assert any(line.startswith("rnc_live_") for line in lines), lines
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)


UNUSABLE = {
    "a missing directory": "missing/connect.db",
    "a path inside a file": "a-file/connect.db",
    "a file that is not a database": "a-file",
}
COMMANDS = {
    "serve": ["serve", "--port", "0", "--no-worker"],
    "worker": ["worker"],
    "migrate": ["migrate"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("where", UNUSABLE, ids=list(UNUSABLE))
def test_an_unusable_database_path_is_one_line_and_status_1(
    tmp_path: Path, command: str, where: str
) -> None:
    (tmp_path / "a-file").write_text("notes, not a database\n")
    db = tmp_path / UNUSABLE[where]
    result = run(*COMMANDS[command], db=db)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, "cannot use the database", str(db))
    assert (tmp_path / "a-file").read_text() == "notes, not a database\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_newer_than_the_code_is_one_line_and_status_1_and_left_alone(
    tmp_path: Path, command: str
) -> None:
    db = tmp_path / "connect.db"
    Connect.open(db).close()
    newer = LATEST + 3
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {newer:d}")
    raw.close()
    result = run(*COMMANDS[command], db=db)
    assert result.returncode == 1
    assert_one_clear_line(result.stderr, str(db), f"schema version {newer}", f"up to {LATEST}")
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == newer
    raw.close()


def test_a_restart_prints_once_a_command_that_makes_a_working_organizer_key(
    tmp_path: Path,
) -> None:
    db = tmp_path / "connect.db"
    first, lines = start_serve(db)
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=15)
    assert not any("keys create" in line for line in lines), "the first start shows the key"

    again, lines = start_serve(db)
    again.send_signal(signal.SIGTERM)
    again.communicate(timeout=15)
    hints = [line.strip() for line in lines if "connect keys create" in line]
    assert len(hints) == 1, lines
    words = shlex.split(hints[0])
    assert words[:5] == ["connect", "keys", "create", "--name", "organizer"]
    assert words[5:7] == ["--scope", "keys:manage"]

    made = run(*words[1:], db=tmp_path / "not-this-one.db")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    connect = Connect.open(db)
    try:
        assert connect.keys.authenticate(token).scopes == ALL_SCOPES
    finally:
        connect.close()
    assert not (tmp_path / "not-this-one.db").exists(), "the hint names the database"
