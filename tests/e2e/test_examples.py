from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import urllib3

from connect import Connect
from connect.adapters.memory import RecordingSender
from connect.domain.keys import ALL_SCOPES

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_embedding_example_runs_and_shows_the_schedule() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "embedding.py")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "library: [(2, 'Corro', 'pending'), (1, 'Ferris', 'scheduled')]" in result.stdout
    assert "http: 200 OK ['Ferris']" in result.stdout


def test_the_slack_receiver_example_posts_what_connect_signs_once_and_rejects_forgeries() -> None:
    # Real Connect output: the signed requests its worker sends, recorded...
    sender = RecordingSender()
    connect = Connect.in_memory(sender=sender)
    organizer = connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests")
    caller = connect.keys.authenticate(organizer.token)
    hook = connect.webhooks.register(
        caller,
        {"url": "https://bot.example.org/", "events": ["submission.created", "talk.scheduled"]},
    )
    talk = connect.submissions.create(
        caller, {"speaker_name": "Ferris", "talk_context": "Async Rust,\nin production"}
    )
    connect.submissions.update(caller, talk.id, {"scheduled_date": "2026-03-18"})
    connect.worker(concurrency=1).run_once()
    connect.close()
    assert len(sender.sent) == 2

    # ... replayed to the example, running as its own process on loopback.
    receiver = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "slack_receiver.py"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CONNECT_WEBHOOK_SECRET": hook.secret},
    )
    try:
        assert receiver.stdout is not None
        listening = receiver.stdout.readline()
        base = listening.rsplit(" ", 1)[1].strip()
        http = urllib3.PoolManager(retries=False, timeout=10)

        def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
            reply = http.request("POST", base + "/", body=body, headers=headers)
            return reply.status, reply.data.decode()

        created, scheduled = sender.sent
        assert post(created.body, created.headers) == (200, "ok\n")
        assert post(created.body, created.headers) == (200, "already handled\n")
        forged = created.body.replace(b"Ferris", b"Mallory")
        status, text = post(forged, created.headers)
        assert status == 400 and text.startswith("rejected")
        assert post(scheduled.body, scheduled.headers) == (200, "ok\n")
    finally:
        receiver.terminate()
        output, _ = receiver.communicate(timeout=10)
    assert output.splitlines() == [
        'New talk submission from Ferris: "Async Rust, in production"',
        '📅 Ferris is scheduled for 2026-03-18: "Async Rust, in production"',
    ]
