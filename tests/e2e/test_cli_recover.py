"""``connect webhooks recover``, run as a user would, on a real database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.keys import Principal, Scope
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.domain.time import format_instant
from tests.e2e.test_cli import run

pytestmark = pytest.mark.e2e
FORM = {"speakerName": "Ferris", "talkContext": "Borrowing", "isOnBehalf": False}


def given_up_delivery(db: Path, mode: Mode = Mode.LIVE) -> tuple[int, int]:
    """A webhook with one delivery whose retries ran out: (webhook id, delivery id)."""
    connect = Connect.open(Config(db=str(db)))
    try:
        key = connect.keys.create(
            name="owner", scopes=frozenset({Scope.WEBHOOKS_MANAGE}), mode=mode, created_by="t"
        ).key
        owner = Principal.of(key)
        hook = connect.webhooks.register(
            owner,
            WebhookRegistration(url="https://hooks.example.com/in", events=["submission.created"]),
        ).webhook
        connect.submissions.create(
            owner, SubmissionFields(speaker_name="Ada", talk_context="Traits")
        )
        (delivery,) = connect.webhooks.deliveries(owner, hook.id, limit=5, cursor=None).items
        with connect.uow() as stores:
            stores.deliveries.reschedule(
                delivery.id, status=DeliveryStatus.FAILED, next_attempt_at=None, now=key.created_at
            )
        return hook.id, delivery.id
    finally:
        connect.close()


def status_of(db: Path, delivery_id: int) -> DeliveryStatus:
    connect = Connect.open(Config(db=str(db)))
    try:
        with connect.uow(write=False) as stores:
            found = stores.deliveries.get(delivery_id)
        assert found is not None
        return found.status
    finally:
        connect.close()


@pytest.mark.parametrize("mode", [Mode.LIVE, Mode.TEST])
def test_recover_queues_a_given_up_delivery_again_once(tmp_path: Path, mode: Mode) -> None:
    db = tmp_path / "connect.db"
    hook, delivery = given_up_delivery(db, mode)
    since = format_instant(datetime.now(UTC) - timedelta(hours=1))
    result = run("webhooks", "recover", str(hook), "--since", since, "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["recovered"] == 1
    assert status_of(db, delivery) is DeliveryStatus.PENDING
    again = run("webhooks", "recover", str(hook), "--since", since, db=db)
    assert again.returncode == 0 and "Queued 0 failed deliveries" in again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "since: is required"),
        (["--since", "2020-01-01"], "at most 14 days ago"),
        (["--since", "soon"], "ISO 8601"),
    ],
)
def test_a_bad_window_is_a_clear_error_and_queues_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "connect.db"
    hook, delivery = given_up_delivery(db)
    result = run("webhooks", "recover", str(hook), *args, db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("connect: error:") and message in result.stderr
    assert status_of(db, delivery) is DeliveryStatus.FAILED


def test_an_unknown_webhook_is_a_clear_error(tmp_path: Path) -> None:
    since = format_instant(datetime.now(UTC) - timedelta(hours=1))
    result = run("webhooks", "recover", "77", "--since", since, db=tmp_path / "c.db")
    assert result.returncode == 1 and "no webhook 77" in result.stderr
