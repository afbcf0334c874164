"""Two ``connect serve --no-worker`` processes on one PostgreSQL database behave as one
server: a revocation through one is refused at once by the other, the per-key limit
counts requests through both, ``last_used_at`` and idempotency keys are shared."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3

from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from tests.e2e.server import Reply

CLI = [sys.executable, "-m", "connect.entrypoints.cli"]
PER_MINUTE = 12
LIST = "/api/v1/submissions"


class ServeProcess:
    """``connect serve --no-worker`` on a free port, its own process."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [*CLI, "serve", "--port", "0", "--no-worker"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **env},
        )
        self.base_url = self._listening()
        self.http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=30))

    def _listening(self) -> str:
        assert self.process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "listening on " in line:
                return line.split("listening on ")[1].split(" ")[0]
        self.process.kill()
        raise AssertionError(f"connect serve did not start: {lines}")

    def request(
        self, method: str, path: str, token: str, json_body: Any = None, **headers: str
    ) -> Reply:
        sent = {"Authorization": f"Bearer {token}", **headers}
        return Reply(self.http.request(method, self.base_url + path, json=json_body, headers=sent))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def two_processes(postgres_url: str) -> Iterator[tuple[ServeProcess, ServeProcess, str]]:
    """Two API processes on one database, and an organizer token made beforehand."""
    secret = base64.urlsafe_b64encode(os.urandom(32)).decode()
    env = {
        "CONNECT_DB": postgres_url,
        "CONNECT_SECRET_KEY": secret,
        "CONNECT_RATE_LIMIT_PER_MINUTE": str(PER_MINUTE),
        "CONNECT_AUDIT": "off",
    }
    connect = Connect.open(Config.from_env(env))
    organizer = connect.keys.create(name="organizer", scopes=ALL_SCOPES, created_by="tests").token
    connect.close()
    processes: list[ServeProcess] = []
    try:
        processes.append(ServeProcess(env))
        processes.append(ServeProcess(env))
        yield processes[0], processes[1], organizer
    finally:
        for process in processes:
            process.stop()


def new_key(api: ServeProcess, organizer: str, *scopes: str) -> dict[str, Any]:
    reply = api.request(
        "POST", "/api/v1/keys", organizer, {"name": "bot", "scopes": list(scopes), "mode": "live"}
    )
    assert reply.status == 201, reply
    return dict(reply.json())


def test_two_api_processes_share_revocation_limits_last_use_and_idempotency(
    two_processes: tuple[ServeProcess, ServeProcess, str],
) -> None:
    one, two, organizer = two_processes

    # A key made through one process works through both, and its use through the
    # second shows through the first.
    bot = new_key(one, organizer, "submissions:read", "submissions:write")
    assert bot["last_used_at"] is None
    assert two.request("GET", LIST, bot["token"]).status == 200
    assert one.request("GET", LIST, bot["token"]).status == 200
    seen = one.request("GET", f"/api/v1/keys/{bot['id']}", organizer).json()
    assert seen["last_used_at"] is not None

    # An Idempotency-Key replayed through the other process returns the first creation.
    talk = {"speaker_name": "Ferris", "talk_context": "Two processes, one truth"}
    retry = {"Idempotency-Key": '"3b8e4f7c-5c1e-4f0e-9a55-0c2b6c1d9e01"'}
    first = one.request("POST", LIST, bot["token"], talk, **retry)
    again = two.request("POST", LIST, bot["token"], talk, **retry)
    assert (first.status, again.status) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"

    # Revoked through the first process, refused at once by the second, which had
    # verified (and remembered) the token a moment ago.
    assert one.request("DELETE", f"/api/v1/keys/{bot['id']}", organizer).status == 200
    refused = two.request("GET", LIST, bot["token"])
    assert refused.status == 401, refused

    # The per-key limit counts requests through both processes together.
    counted = new_key(two, organizer, "submissions:read")
    statuses = [
        (one if n % 2 else two).request("GET", LIST, counted["token"]).status
        for n in range(PER_MINUTE + 2)
    ]
    assert statuses == [200] * PER_MINUTE + [429, 429]
    over = one.request("GET", LIST, counted["token"])
    assert over.status == 429
    assert over.headers["RateLimit-Policy"] == f'"per-key";q={PER_MINUTE};w=60'
    assert 1 <= int(over.headers["Retry-After"]) <= 60
