"""The connect command, run as a user would: real processes, a real database file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from connect.bootstrap import Connect

CLI = [sys.executable, "-m", "connect.entrypoints.cli"]


def run(
    *args: str, db: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CONNECT_DB": str(db), **(env or {})},
    )


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return e.code


def test_keys_create_prints_the_token_alone_on_the_last_line(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    made = run(
        "keys",
        "create",
        "--name",
        "zapier",
        "--scope",
        "submissions:read",
        "--scope",
        "exports:create",
        db=db,
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    connect = Connect.open(db)
    try:
        principal = connect.keys.authenticate(token)
    finally:
        connect.close()
    assert {s.value for s in principal.scopes} == {"submissions:read", "exports:create"}


def test_keys_create_json_lists_and_revokes(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    made = run(
        "keys",
        "create",
        "--name",
        "bot",
        "--scope",
        "webhooks:manage",
        "--mode",
        "test",
        "--expires-in",
        "30d",
        "--json",
        db=db,
    )
    key = json.loads(made.stdout)
    assert key["token"].startswith("rnc_test_") and key["mode"] == "test" and key["expires_at"]
    listed = run("keys", "list", db=db)
    assert key["key_id"] in listed.stdout and key["token"] not in listed.stdout
    as_json = json.loads(run("keys", "list", "--json", db=db).stdout)
    assert [k["key_id"] for k in as_json["data"]] == [key["key_id"]]
    assert "token" not in as_json["data"][0] and "key_hash" not in as_json["data"][0]
    revoked = run("keys", "revoke", key["key_id"], db=db)
    assert revoked.returncode == 0 and key["key_id"] in revoked.stdout
    assert json.loads(run("keys", "list", "--json", db=db).stdout)["data"][0]["revoked_at"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keys", "create", "--name", "x", "--scope", "everything"], "--scope"),
        (
            ["keys", "create", "--name", "x", "--scope", "submissions:read", "--mode", "prod"],
            "--mode",
        ),
        (
            ["keys", "create", "--name", "x", "--scope", "submissions:read", "--expires-in", "0d"],
            "expires_in",
        ),
        (["keys", "create", "--name", "  ", "--scope", "submissions:read"], "--name"),
        (["keys", "revoke", "rnc_live_nothere0"], "no API key"),
    ],
)
def test_bad_cli_input_is_a_clear_error_and_stores_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "connect.db"
    result = run(*args, db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("connect: error:") and message in result.stderr
    assert json.loads(run("keys", "list", "--json", db=db).stdout)["data"] == []


def test_a_bad_environment_variable_is_a_clear_error(tmp_path: Path) -> None:
    result = run("keys", "list", db=tmp_path / "c.db", env={"CONNECT_PORT": "eighty"})
    assert result.returncode == 1 and "CONNECT_PORT" in result.stderr


def test_migrate_applies_the_schema_once(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    first = run("migrate", "--db", str(db), db=tmp_path / "ignored.db")
    assert first.returncode == 0 and "applied migrations" in first.stdout
    second = run("migrate", db=db)
    assert "up to date" in second.stdout


def start_serve(db: Path) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [*CLI, "serve", "--port", "0", "--no-worker"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "CONNECT_DB": str(db)},
    )
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "listening on" in line:
            return process, lines
    process.kill()
    raise AssertionError(f"serve did not start: {lines}")


def test_serve_prints_one_organizer_key_on_an_empty_database_and_stops_cleanly(
    tmp_path: Path,
) -> None:
    db = tmp_path / "connect.db"
    process, lines = start_serve(db)
    try:
        url = lines[-1].split("listening on ")[1].split(" ")[0]
        token = next(line for line in lines if line.startswith("rnc_live_"))
        assert any("Authorization: Bearer" in line for line in lines)
        assert get(f"{url}/api/v1/keys", token) == 200
        assert get(f"{url}/healthz", "") == 200
    finally:
        process.send_signal(signal.SIGINT)
        remaining, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "stopped" in remaining

    again, lines = start_serve(db)
    try:
        assert not any(line.startswith("rnc_live_") for line in lines)
    finally:
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=15)
    assert again.returncode == 0
