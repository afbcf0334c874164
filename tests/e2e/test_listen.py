"""``connect listen`` as a developer runs it: a subprocess following a real server's
event feed and forwarding to a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect import verify_webhook
from connect.domain.listening import raw_items
from connect.entrypoints.cli import main
from tests.e2e.receiver import Receiver
from tests.e2e.server import RunningServer

CLI = [sys.executable, "-m", "connect.entrypoints.cli"]
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")


class Listening:
    """``connect listen`` in a subprocess; its stdout lines arrive in a queue."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_")}
        self.process = subprocess.Popen(
            [*CLI, "listen", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**clean, **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, pattern: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in {self.seen!r}")

    def interrupt(self) -> tuple[int, str]:
        """Ctrl-C, then the exit status and the rest of stderr."""
        self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout=15)
        finally:
            self.process.kill()
        assert self.process.stderr is not None
        return status, self.process.stderr.read()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(None)  # plain HTTP, as behind connect listen
    running.script = [202, 500]
    yield running
    running.close()


def feed_bodies(server: RunningServer, key: str) -> dict[str, bytes]:
    reply = server.request("GET", "/api/v1/events?limit=200", token=key)
    assert reply.status == 200, reply
    items = raw_items(reply.text)
    return {json.loads(item)["id"]: item.encode() for item in items}


def test_listen_forwards_new_events_signed_filtered_and_prints_each_status(
    server: RunningServer, receiver: Receiver
) -> None:
    key = server.key("submissions:read", "submissions:write", mode="test")
    before = server.request(
        "POST",
        "/api/v1/submissions",
        token=key,
        json_body={"speaker_name": "Old", "talk_context": "x"},
    )
    assert before.status == 201
    listening = Listening(
        "--api", server.base_url, "--key", key, "--forward-to", receiver.url,
        "--events", "submission.created,talk.scheduled", "--interval", "0.2",
    )  # fmt: skip
    try:
        secret = SECRET.search(listening.until("signing secret is")).group()  # type: ignore[union-attr]
        listening.until("^Ready")
        created = server.request(
            "POST",
            "/api/v1/submissions",
            token=key,
            json_body={"speaker_name": "Ferris\u202e", "talk_context": "Async Rust"},
        ).json()
        patched = server.request(
            "PATCH",
            f"/api/v1/submissions/{created['id']}",
            token=key,
            json_body={"scheduled_date": "2026-03-18"},
        )
        assert patched.status == 200
        first = listening.until(r"--> submission\.created")
        second = listening.until(r"--> talk\.scheduled")
        status, errors = listening.interrupt()
    finally:
        listening.process.kill()
    assert status == 0, errors
    assert "Traceback" not in errors
    assert "[202]" in first and "[500]" in second

    # Only what happened after it started, only the types asked for, in order...
    sent = receiver.received
    assert [r.headers["X-Connect-Event"] for r in sent] == ["submission.created", "talk.scheduled"]
    assert json.loads(sent[0].body)["data"]["speaker_name"] == "Ferris\u202e"
    # ... each one the feed's exact bytes, verifying with the printed secret under both
    # header families, as a delivery from the worker would.
    bodies = feed_bodies(server, key)
    for request in sent:
        event_id = request.headers["webhook-id"]
        assert request.body == bodies[event_id]
        assert event_id in first + second
        verify_webhook(secret, request.headers, request.body)
        only_x = {k: v for k, v in request.headers.items() if not k.startswith("webhook-")}
        verify_webhook(secret, only_x, request.body)
        assert request.headers["User-Agent"].startswith("Connect-Webhooks/")
    assert len(bodies) == 4  # the old talk's and the new one's created, updated, scheduled


def test_listen_replays_the_feed_with_a_given_secret_and_never_prints_it(
    server: RunningServer, receiver: Receiver
) -> None:
    key = server.key("submissions:read", "submissions:write", mode="test")
    server.request(
        "POST",
        "/api/v1/submissions",
        token=key,
        json_body={"speaker_name": "Old", "talk_context": "x"},
    )
    secret = main(["listen", "--print-secret"], out=(printed := _Lines()))
    assert secret == 0
    given = printed.text.strip()
    listening = Listening(
        "--api", server.base_url, "--key", key, "--forward-to", receiver.url,
        "--replay", "--interval", "0.2", "--secret", given,
    )  # fmt: skip
    try:
        line = listening.until(r"--> submission\.created")
        status, _ = listening.interrupt()
    finally:
        listening.process.kill()
    assert status == 0
    assert "[202]" in line
    verify_webhook(given, receiver.received[0].headers, receiver.received[0].body)
    assert given not in "\n".join(listening.seen)


class _Lines:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--events", "talk.schedule"], "did you mean 'talk.scheduled'?"),
        (["--events", "webhook.test"], "is not an event type"),
        (["--forward-to", "localhost:3000"], "--forward-to: must be an http:// or https:// URL"),
        (["--secret", "not-a-secret"], "whsec_"),
        (["--key", "rnc_test_wrongwrongwrongwrongwron"], "the API refused the key"),
    ],
)
def test_listen_refuses_bad_input_with_one_clear_line(
    server: RunningServer, args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key = server.key("submissions:read", mode="test")
    defaults = {"--key": key, "--forward-to": "http://127.0.0.1:9/hook", "--api": server.base_url}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        defaults[flag] = value
    argv = ["listen", *[part for pair in defaults.items() for part in pair]]
    status = main(argv, out=_Lines())
    error = capsys.readouterr().err
    assert status == 1
    assert expected in error
    assert key not in error


def test_listen_needs_a_key_that_reads_submissions(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    key = server.key("webhooks:manage", mode="test")
    status = main(
        ["listen", "--api", server.base_url, "--key", key, "--forward-to", "http://127.0.0.1:9/"],
        out=_Lines(),
    )
    assert status == 1
    assert "may not read the event feed" in capsys.readouterr().err


def test_listen_reports_a_service_it_cannot_reach(tmp_path: Path) -> None:
    listening = Listening(
        "--forward-to",
        "http://127.0.0.1:9/",
        env={"CONNECT_API_URL": "http://127.0.0.1:9", "CONNECT_API_KEY": "rnc_test_x"},
    )
    status = listening.process.wait(timeout=30)
    assert listening.process.stderr is not None
    error = listening.process.stderr.read()
    assert status == 1
    assert error.startswith("connect: error: cannot reach http://127.0.0.1:9/api/v1/events")
    assert "Traceback" not in error
    assert "rnc_test_x" not in error
