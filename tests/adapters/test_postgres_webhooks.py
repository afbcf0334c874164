"""PostgreSQL keeps webhook secrets sealed like SQLite does, seals clear ones when it
migrates, and re-seals them all under a new key (``connect rotate-encryption-key``)."""

from __future__ import annotations

import os

import psycopg
import pytest

from connect.adapters.crypto import AeadSecretBox
from connect.adapters.postgres import PostgresUnitOfWork
from connect.domain.errors import SecretUnreadable
from connect.domain.mode import Mode
from tests.contract.test_webhook_stores import new_webhook


def stored_secrets(url: str) -> list[tuple[str, str | None]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT secret, previous_secret FROM webhooks_1 ORDER BY id")
        return [(r[0], r[1]) for r in rows.fetchall()]


def every_webhook(stores):
    return stores.webhooks.list(Mode.LIVE, owner=None, limit=10)


def test_secrets_are_stored_sealed_and_read_back_as_issued(postgres_url):
    uow = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox.ephemeral())
    uow.migrate()
    try:
        with uow() as stores:
            hook = stores.webhooks.add(new_webhook())
        with uow(write=False) as stores:
            assert stores.webhooks.get(hook.id) == hook
    finally:
        uow.close()
    ((secret, _),) = stored_secrets(postgres_url)
    assert "whsec_AAAA" not in secret and secret.startswith("v1:")


def test_migrating_seals_clear_secrets_and_rotation_reseals_them_all(postgres_url):
    old_key, new_key = os.urandom(32), os.urandom(32)
    old = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox([old_key]))
    old.migrate()
    with old.connection() as conn:
        conn.execute(
            """INSERT INTO webhooks_1 (url, events, secret, previous_secret, created_at)
            VALUES ('https://a.example/', '["submission.created"]', 'whsec_clear',
                'whsec_before', now())"""
        )
    old.migrate()  # a restart: seals what an older version left in clear
    sealed = stored_secrets(postgres_url)
    assert all(v and v.startswith("v1:") for pair in sealed for v in pair)
    old.close()

    both = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox([new_key, old_key]))
    try:
        assert both.reseal_secrets() == 2
    finally:
        both.close()
    assert stored_secrets(postgres_url) != sealed
    new = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox([new_key]))
    try:
        with new(write=False) as stores:
            (hook,) = every_webhook(stores)
        assert (hook.secret, hook.previous_secret) == ("whsec_clear", "whsec_before")
    finally:
        new.close()
    stale = PostgresUnitOfWork(postgres_url, secret_box=AeadSecretBox([old_key]))
    try:
        with stale(write=False) as stores, pytest.raises(SecretUnreadable):
            every_webhook(stores)
    finally:
        stale.close()
