"""PostgreSQL migrations: applied once even by processes starting together, a newer
schema refused untouched, an unreachable server named without its password."""

from __future__ import annotations

import threading

import psycopg
import pytest

from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.schema import LATEST, MIGRATIONS, current_version, migrate
from connect.domain.errors import SchemaTooNew, StorageUnavailable
from tests.postgres_cluster import free_port


def test_a_new_database_gets_every_migration_once(postgres_url: str) -> None:
    uow = PostgresUnitOfWork(postgres_url)
    try:
        assert uow.migrate() == sorted(MIGRATIONS)
        assert uow.migrate() == []
    finally:
        uow.close()
    with psycopg.connect(postgres_url) as conn:
        assert current_version(conn) == LATEST


def test_processes_starting_together_apply_each_migration_once(postgres_url: str) -> None:
    applied: list[list[int]] = []
    start = threading.Barrier(4)

    def run() -> None:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            start.wait(timeout=30)
            applied.append(migrate(conn))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(v for versions in applied for v in versions) == sorted(MIGRATIONS)
    with psycopg.connect(postgres_url) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM connect_schema").fetchone() or (0,)
        assert rows == len(MIGRATIONS)


def test_a_schema_newer_than_the_code_is_refused_and_left_as_it_is(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE connect_schema (version integer NOT NULL)")
        conn.execute("INSERT INTO connect_schema VALUES (%s)", [LATEST + 3])
        with pytest.raises(SchemaTooNew, match=f"version {LATEST + 3}"):
            migrate(conn, "the database x")
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()
    assert tables == [("connect_schema",)]


def test_an_unreachable_server_is_named_without_its_password() -> None:
    url = f"postgresql://connect:hunter2-secret@127.0.0.1:{free_port()}/connect"
    uow = PostgresUnitOfWork(url, timeout=2)
    with pytest.raises(StorageUnavailable) as raised:
        uow.migrate()
    assert "hunter2" not in str(raised.value)
    assert "127.0.0.1" in str(raised.value)


def test_a_server_that_drops_its_connections_fails_one_block_as_unavailable_then_recovers(
    postgres_url: str,
) -> None:
    uow = PostgresUnitOfWork(postgres_url, max_connections=1)
    try:
        uow.migrate()
        with uow() as stores:
            assert stores.keys.count() == 0
        # A restart or fail-over: every connection the pool holds is cut.
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        with pytest.raises(StorageUnavailable), uow() as stores:
            stores.keys.count()
        with uow() as stores:
            assert stores.keys.count() == 0
    finally:
        uow.close()
