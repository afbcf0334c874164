"""What the CLI prints cannot drive the operator's terminal."""

from __future__ import annotations

from pathlib import Path

from connect.bootstrap import Connect
from connect.domain.escaping import is_unsafe
from connect.domain.keys import ALL_SCOPES
from tests.e2e.test_cli import run

HOSTILE = "evil\x1b]0;owned\x07\x1b[2J\r\n\u202eexe.txt"


def safe(text: str) -> bool:
    return not any(c not in "\\\n" and is_unsafe(c) for c in text)


def test_key_names_with_terminal_escapes_are_listed_escaped(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    connect = Connect.open(db)
    try:
        # NOTE: a name sent over the API (any JSON string is a valid name).
        connect.keys.create(name=HOSTILE, scopes=ALL_SCOPES, created_by="api")
    finally:
        connect.close()
    listed = run("keys", "list", db=db)
    assert listed.returncode == 0, listed.stderr
    assert safe(listed.stdout) and len(listed.stdout.splitlines()) == 2
    assert "evil\\x1b]0;owned\\x07\\x1b[2J\\r\\n\\u202eexe.txt" in listed.stdout


def test_create_and_revoke_lines_escape_the_name(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    made = run("keys", "create", "--name", HOSTILE, "--scope", "submissions:read", db=db)
    assert made.returncode == 0, made.stderr
    assert safe(made.stdout) and "evil\\x1b]0;owned" in made.stdout
    key_id = made.stdout.split()[2]
    revoked = run("keys", "revoke", key_id, db=db)
    assert safe(revoked.stdout) and key_id in revoked.stdout
    missing = run("keys", "revoke", "rnc_live_\x1b[2Jnothing", db=db)
    assert missing.returncode == 1 and safe(missing.stderr)
