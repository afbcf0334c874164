from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import trustme
import urllib3

from connect import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.requests.webhooks import WebhookRegistration
from connect.testing import ManualClock, RecordingSender, wait_until
from tests.e2e.receiver import Receiver, write_ca
from tests.e2e.server import RunningServer

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_the_embedding_example_runs_and_shows_the_schedule() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "embedding.py")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "library: [(2, 'Corro', 'pending'), (1, 'Ferris', 'scheduled')]" in result.stdout
    assert "http: 200 OK ['Ferris']" in result.stdout


def test_the_docs_show_the_embedding_test_example_as_it_runs() -> None:
    doc = (EXAMPLES.parent / "docs" / "embedding.md").read_text()
    section = doc.split("## Swapping adapters in tests\n", 1)[1]
    shown = re.search(r"```python\n(.*?)```", section, re.S)
    assert shown is not None
    assert shown.group(1) in (EXAMPLES / "test_embedding_example.py").read_text()
    assert "def test_" in shown.group(1)


def test_the_slack_receiver_example_posts_what_connect_signs_once_and_rejects_forgeries() -> None:
    # Real Connect output: the signed requests its worker sends, recorded...
    sender = RecordingSender()
    connect = Connect.in_memory(sender=sender)
    organizer = connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests")
    caller = connect.keys.authenticate(organizer.token)
    hook = connect.webhooks.register(
        caller,
        WebhookRegistration(
            url="https://bot.example.org/", events=["submission.created", "talk.scheduled"]
        ),
    )
    talk = connect.submissions.create(
        caller, SubmissionFields(speaker_name="Ferris", talk_context="Async Rust,\nin production")
    )
    connect.submissions.update(caller, talk.id, SubmissionPatch(scheduled_date="2026-03-18"))
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


# --- the receivers over TLS, the sync receiver, and the standard-library verifier ----

DOC = Path(__file__).parents[2] / "docs" / "webhooks.md"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(script: str, *args: str, secret: str, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """An example receiver as its own process; returns it and its last start-up line."""
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env={**os.environ, "CONNECT_WEBHOOK_SECRET": secret},
    )
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    while lines[-1] and not lines[-1].startswith("receiver listening on"):
        lines.append(process.stdout.readline())
    assert lines[-1], (lines, process.stderr.read() if process.stderr else "")
    return process, "".join(lines)


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=10)
    return output


@pytest.mark.parametrize("script", ["sync_receiver.py", "slack_receiver.py"])
def test_an_example_receiver_with_tls_makes_a_certificate_connect_delivers_to(
    script: str, tmp_path: Path
) -> None:
    # First start: it makes its certificate authority and certificate, and says where.
    first, banner = _start(script, "--tls", "--port", "0", secret="whsec_AAAA", cwd=tmp_path)
    _stop(first)
    authority = tmp_path / "receiver-tls" / "ca.pem"
    assert f"certificate authority {authority}" in banner
    assert (tmp_path / "receiver-tls" / "localhost-key.pem").stat().st_mode & 0o077 == 0

    # A real server trusting it (and loopback) delivers there through its real sender.
    port = _free_port()
    config = Config(
        webhook_allow_networks=("127.0.0.0/8",),
        webhook_ca_bundle=str(authority),
        retry_schedule=(0,),
        delivery_rate_per_second=0,
    )
    server = RunningServer(tmp_path / "connect.db", config)
    receiver = None
    try:
        hook = server.request(
            "POST",
            "/api/v1/webhooks",
            token=server.organizer,
            json_body={"url": f"https://127.0.0.1:{port}/hook", "events": ["submission.created"]},
        ).json()
        # Second start: the same certificate, reused.
        receiver, banner = _start(
            script, "--tls", "--port", str(port), secret=hook["secret"], cwd=tmp_path
        )
        assert f"receiver listening on https://127.0.0.1:{port}" in banner
        talk = {"speaker_name": "Ferris", "talk_context": "Async Rust"}
        created = server.request(
            "POST", "/api/v1/submissions", token=server.organizer, json_body=talk
        )
        assert created.status == 201
        server.connect.worker(concurrency=1).run_once()
        log = server.request(
            "GET", f"/api/v1/webhooks/{hook['id']}/deliveries", token=server.organizer
        ).json()["data"]
        assert [a["status_code"] for a in log[0]["attempts"]] == [200], log
    finally:
        output = _stop(receiver) if receiver is not None else ""
        server.close()
    assert "Ferris" in output


def deliver(server: RunningServer, inbox: Receiver, count: int) -> None:
    worker = server.connect.worker(concurrency=1)

    def delivered() -> bool:
        worker.run_once()
        return inbox.count() >= count

    assert wait_until(delivered, timeout=20)
    assert inbox.count() == count


def _delivered(tmp_path: Path) -> tuple[str, Any, list[Any]]:
    """Real deliveries: what Connect's worker sent to a trustme HTTPS receiver."""
    ca = trustme.CA()
    inbox = Receiver(ca)
    config = Config(
        webhook_allow_networks=("127.0.0.0/8",),
        webhook_ca_bundle=str(write_ca(ca, tmp_path)),
        retry_schedule=(0,),
        delivery_rate_per_second=0,
    )
    # NOTE: starts at the real time: receivers refuse signatures older than 5 minutes.
    clock = ManualClock(datetime.now(UTC))
    server = RunningServer(tmp_path / "connect.db", config, clock=clock)
    try:
        events = ["submission.created", "submission.updated", "submission.deleted"]
        hook = server.request(
            "POST",
            "/api/v1/webhooks",
            token=server.organizer,
            json_body={"url": inbox.url, "events": events},
        ).json()
        talk = {"speaker_name": "Ferris ✨", "talk_context": "Async Rust"}
        created = server.request(
            "POST", "/api/v1/submissions", token=server.organizer, json_body=talk
        )
        talk_id = created.json()["id"]
        deliver(server, inbox, 1)
        # NOTE: updated_at counts whole seconds; the update is a later version only in a
        # later second (the sync receiver's order rule, tested below, depends on it).
        clock.advance(seconds=1)
        server.request(
            "PATCH",
            f"/api/v1/submissions/{talk_id}",
            token=server.organizer,
            json_body={"status": "accepted"},
        )
        deliver(server, inbox, 2)
        # NOTE: erasure scrubs what is still queued, so each event is delivered first.
        server.request("DELETE", f"/api/v1/submissions/{talk_id}", token=server.organizer)
        deliver(server, inbox, 3)
    finally:
        server.close()
        inbox.close()
    return hook["secret"], talk_id, list(inbox.received)


def test_the_standard_library_verifier_in_the_docs_accepts_real_deliveries_only(
    tmp_path: Path,
) -> None:
    section = DOC.read_text().split("### Without Connect installed\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None and len(code.group(1).splitlines()) <= 25
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)
    verify = namespace["verify"]

    secret, _, received = _delivered(tmp_path)
    for got in received:
        assert verify(secret, got.headers, got.body)
        assert not verify(secret, got.headers, got.body.replace(b"evt_", b"evt_x"))
        assert not verify("whsec_" + "A" * 44, got.headers, got.body)
        stale = {**got.headers, "webhook-timestamp": str(int(time.time()) - 301)}
        assert not verify(secret, stale, got.body)
        assert not verify(secret, {"webhook-id": got.headers["webhook-id"]}, got.body)


def test_the_sync_receiver_keeps_the_copy_and_erases_what_was_erased(tmp_path: Path) -> None:
    secret, talk_id, received = _delivered(tmp_path)
    created, updated, deleted = sorted(received, key=lambda r: r.headers["X-Connect-Delivery"])
    process, banner = _start(
        "sync_receiver.py", "--port", "0", "--db", "copy.db", secret=secret, cwd=tmp_path
    )
    base = banner.rsplit(" ", 1)[1].strip()
    http = urllib3.PoolManager(retries=False, timeout=10)

    def post(got: Any, body: bytes | None = None) -> int:
        return http.request("POST", base + "/", body=body or got.body, headers=got.headers).status

    def copy() -> list[dict[str, Any]]:
        return json.loads(http.request("GET", base + "/").data)["data"]

    try:
        assert post(updated) == 200
        assert post(created) == 200  # late and older: the copy keeps the update
        assert [(t["id"], t["status"]) for t in copy()] == [(talk_id, "accepted")]
        assert post(created, created.body.replace(b"Ferris", b"Mallory")) == 400
        assert post(deleted) == 200
        assert post(deleted) == 200  # a retry is acknowledged, not applied again
        assert post(updated) == 200  # handled already, and erased: it stays erased
        assert copy() == []
    finally:
        output = _stop(process)
    assert output.splitlines() == [
        f"stored submission {talk_id}: Ferris ✨ (not scheduled)",
        f"kept the newer copy of submission {talk_id}",
        f"erased submission {talk_id}",
    ]
