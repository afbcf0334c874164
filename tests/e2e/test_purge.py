"""Retention from the outside: ``connect purge [--dry-run]`` on a real database file,
and the worker's daily purge."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from connect.bootstrap import Connect, bootstrap, sqlite_storage
from connect.config import Config
from connect.domain.audit import AuditEntry
from connect.domain.keys import ALL_SCOPES, Principal
from connect.domain.requests.submissions import SubmissionFields
from connect.services.daily_purge import DailyPurge
from connect.testing import FixedEntropy, ManualClock, Sha256Hasher, wait_until

CLI = [sys.executable, "-m", "connect.entrypoints.cli"]


def seeded(db: Path, at: datetime) -> Connect:
    """Services over ``db`` whose clock reads ``at``."""
    config = Config(db=str(db))
    uow = sqlite_storage(config)
    uow.migrate()
    return bootstrap(
        config, uow, clock=ManualClock(at), entropy=FixedEntropy(3), hasher=Sha256Hasher()
    )


def write_history(connect: Connect, at: datetime) -> None:
    """A submission (one feed event) and two audit entries, all made at ``at``."""
    key = connect.keys.create(name="org", scopes=ALL_SCOPES, created_by="t").key
    connect.submissions.create(
        Principal.of(key), SubmissionFields(speaker_name="Old", talk_context="x")
    )
    with connect.uow() as stores:
        stores.audit.append([AuditEntry(key.id, "/api/v1/keys", "GET", 200, None, 2.0, at)] * 2)


def purge(db: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "purge", *flags],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CONNECT_DB": str(db), "CONNECT_RETENTION_DAYS": "30"},
    )


def census(db: Path) -> tuple[int, int]:
    connect = Connect.open(db)
    try:
        with connect.uow(write=False) as stores:
            found = stores.personal_data.census()
    finally:
        connect.close()
    return found.events, found.audit_entries


def test_purge_dry_run_prints_what_would_go_and_purge_removes_it(tmp_path: Path) -> None:
    db = tmp_path / "connect.db"
    old = datetime.now(UTC).replace(microsecond=0) - timedelta(days=45)
    connect = seeded(db, old)
    write_history(connect, old)
    connect.close()

    dry = purge(db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would remove" in dry.stdout
    assert "audit log entries" in dry.stdout and "feed events" in dry.stdout
    assert census(db) == (1, 2)

    done = purge(db)
    assert done.returncode == 0, done.stderr
    assert "removed" in done.stdout and "Size in use:" in done.stdout
    assert census(db) == (0, 0)


def test_the_daily_purge_runs_on_its_own_thread_until_stopped(memory_connect: Connect) -> None:
    old = memory_connect.clock.now() - timedelta(days=31)
    with memory_connect.uow() as stores:
        stores.audit.append([AuditEntry(None, "/api/v1/keys", "GET", 200, None, 1.0, old)])
    daily = DailyPurge(memory_connect.personal_data, interval=0.01, first_delay=0)
    daily.start()
    ran_twice = wait_until(lambda: daily.runs >= 2)
    daily.stop()
    assert ran_twice
    with memory_connect.uow(write=False) as stores:
        assert stores.personal_data.census().audit_entries == 0
