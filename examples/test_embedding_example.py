"""What an app embedding Connect writes to test its integration: no file, no network,
no sleeping. Connect's own suite runs it (docs/embedding.md shows it)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from connect import Scope, Unauthenticated
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration
from connect.testing import connect_in_memory

HOOK = "https://app.example.org/hook"


def test_a_new_talk_reaches_our_webhook_when_the_worker_runs() -> None:
    with connect_in_memory() as rig:
        scopes = frozenset({Scope.SUBMISSIONS_WRITE, Scope.WEBHOOKS_MANAGE})
        issued = rig.connect.keys.create(name="my-app", scopes=scopes, created_by="tests")
        caller = rig.connect.keys.authenticate(issued.token)
        rig.connect.webhooks.register(
            caller, WebhookRegistration(url=HOOK, events=["submission.created"])
        )
        rig.connect.submissions.create(
            caller, SubmissionFields(speaker_name="Ferris", talk_context="FFI")
        )
        assert rig.sender.sent == []  # nothing is sent until a worker runs
        rig.connect.worker(concurrency=1).run_once()
        (sent,) = rig.sender.to(HOOK)
        assert json.loads(sent.body)["data"]["speaker_name"] == "Ferris"


def test_our_sync_key_stops_working_the_moment_it_expires() -> None:
    with connect_in_memory() as rig:
        issued = rig.connect.keys.create(
            name="sync",
            scopes=frozenset({Scope.SUBMISSIONS_READ}),
            created_by="tests",
            expires_at=rig.clock.now() + timedelta(days=1),
        )
        rig.clock.advance(days=1, seconds=-1)
        rig.connect.keys.authenticate(issued.token)  # still valid
        rig.clock.advance(seconds=1)
        with pytest.raises(Unauthenticated):
            rig.connect.keys.authenticate(issued.token)
