"""Webhooks end to end: the real server, its embedded worker (or a worker process) and
real HTTPS receivers on 127.0.0.1 with trustme certificates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from connect import verify_webhook
from connect.config import Config
from connect.entrypoints.serve import start_embedded
from connect.testing import wait_until
from tests.e2e.receiver import Receiver, write_ca
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
FORM = {"speakerName": "Ferris", "talkContext": "Fearless concurrency", "isOnBehalf": False}
ZEROS = (0,) * 12


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def config(ca: trustme.CA, tmp_path: Path) -> Config:
    return Config(
        webhook_allow_networks=("127.0.0.0/8", "::1/128"),
        webhook_ca_bundle=str(write_ca(ca, tmp_path)),
        retry_schedule=ZEROS,
        delivery_rate_per_second=0,
        worker_lease_seconds=2,
        # These tests post many submissions through the public form from one address.
        form_limit=(0, 900),
    )


@pytest.fixture
def receivers(ca: trustme.CA) -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.close()


def receiver(receivers: list[Receiver], ca: trustme.CA, **kwargs) -> Receiver:
    made = Receiver(ca, **kwargs)
    receivers.append(made)
    return made


@pytest.fixture
def served(config: Config, tmp_path: Path) -> Iterator[RunningServer]:
    running = RunningServer(tmp_path / "connect.db", config)
    running.worker, thread = start_embedded(running.connect)
    yield running
    running.worker.stop()
    thread.join(timeout=20)
    # NOTE: close the client's keep-alive connections first, or waitress waits on them.
    running.http.clear()
    running.close()


def register(server: RunningServer, url: str, events=("submission.created",)) -> dict:
    token = server.key("webhooks:manage")
    reply = server.request(
        "POST", "/api/v1/webhooks", token=token, json_body={"url": url, "events": list(events)}
    )
    assert reply.status == 201, reply
    return {**reply.json(), "token": token}


def submit(server: RunningServer) -> None:
    assert server.request("POST", "/api/submissions", json_body=FORM).status == 201


def deliveries(server: RunningServer, hook: dict) -> list[dict]:
    reply = server.request("GET", f"/api/v1/webhooks/{hook['id']}/deliveries", token=hook["token"])
    assert reply.status == 200, reply
    return reply.json()["data"]


def test_a_form_submission_arrives_signed_within_a_second(served, receivers, ca):
    inbox = receiver(receivers, ca)
    hook = register(served, inbox.url)
    started = time.monotonic()
    submit(served)
    assert wait_until(lambda: inbox.count() == 1, timeout=5)
    (got,) = inbox.received
    assert got.at - started < 1.0
    verify_webhook(hook["secret"], got.headers, got.body)
    assert json.loads(got.body)["data"]["speaker_name"] == "Ferris"
    assert got.headers["User-Agent"].startswith("Connect-Webhooks/")
    assert wait_until(lambda: deliveries(served, hook)[0]["status"] == "succeeded")


def test_a_receiver_failing_three_times_gets_four_attempts_in_the_log(served, receivers, ca):
    inbox = receiver(receivers, ca)
    inbox.script = [500, 502, 302]
    hook = register(served, inbox.url)
    submit(served)
    assert wait_until(lambda: inbox.count() == 4)
    assert wait_until(lambda: deliveries(served, hook)[0]["status"] == "succeeded")
    (delivery,) = deliveries(served, hook)
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 502, 302, 200]
    assert delivery["attempt_count"] == 4
    assert delivery["attempts"][-1]["response_snippet"] == "received"
    assert len({r.headers["webhook-id"] for r in inbox.received}) == 1
    for got in inbox.received:
        verify_webhook(hook["secret"], got.headers, got.body)


def test_ten_failures_disable_and_re_enabling_delivers_what_was_pending(served, receivers, ca):
    inbox = receiver(receivers, ca)
    inbox.script = [500] * 10
    hook = register(served, inbox.url)
    # A healthy webhook for the same event: its attempts show what the worker has done.
    register(served, receiver(receivers, ca).url)
    submit(served)
    path = f"/api/v1/webhooks/{hook['id']}"
    assert wait_until(
        lambda: served.request("GET", path, token=hook["token"]).json()["active"] is False
    )
    shown = served.request("GET", path, token=hook["token"]).json()
    assert shown["failure_count"] == 10 and shown["disabled_reason"]
    submit(served)  # while disabled: kept, not sent
    # NOTE: the same commit queued the healthy webhook's delivery: once the worker has
    # made its 12th attempt (10 failures, 2 to the healthy one), it has claimed all
    # that was due, and a paused delivery sent by mistake would be the 11th here.
    assert served.worker is not None and wait_until(lambda: served.worker.attempts == 12)
    assert inbox.count() == 10
    assert {d["status"] for d in deliveries(served, hook)} == {"paused"}
    reply = served.request("PATCH", path, token=hook["token"], json_body={"active": True})
    assert reply.status == 200 and reply.json()["failure_count"] == 0
    assert wait_until(lambda: inbox.count() == 12)
    assert wait_until(lambda: {d["status"] for d in deliveries(served, hook)} == {"succeeded"})


def test_a_hanging_receiver_does_not_delay_a_healthy_one(served, receivers, ca):
    stuck = receiver(receivers, ca)
    stuck.hang = True
    healthy = receiver(receivers, ca)
    register(served, stuck.url)
    register(served, healthy.url)
    for _ in range(6):
        submit(served)
    try:
        # NOTE: the stuck receiver holds its requests for 30 s and the sender waits up to
        # 15 s; a worker it could block would deliver nothing to the healthy one for that
        # long. The deadline is well inside it.
        assert wait_until(lambda: healthy.count() == 6, timeout=8)
        # it never answered, so it never earned a second slot (docs/webhooks.md)
        assert stuck.count() <= 1
    finally:
        stuck.release()


def test_urls_that_point_inside_are_refused_at_registration(served):
    token = served.key("webhooks:manage")
    for url in (
        "https://10.0.0.1/",
        "https://[::ffff:10.0.0.1]/",
        "http://127.0.0.1/",
        "https://169.254.169.254/",
    ):
        reply = served.request(
            "POST",
            "/api/v1/webhooks",
            token=token,
            json_body={"url": url, "events": ["submission.created"]},
        )
        assert reply.status == 422, (url, reply)
        assert reply.json()["errors"][0]["field"] == "url"


def test_the_test_send_and_rotation_reach_the_receiver(served, receivers, ca):
    inbox = receiver(receivers, ca)
    hook = register(served, inbox.url)
    rotated = served.request(
        "POST",
        f"/api/v1/webhooks/{hook['id']}/rotate-secret",
        token=hook["token"],
        json_body={"grace_seconds": 600},
    ).json()
    reply = served.request("POST", f"/api/v1/webhooks/{hook['id']}/test", token=hook["token"])
    assert reply.status == 200 and reply.json()["status_code"] == 200, reply
    (got,) = inbox.received
    verify_webhook(hook["secret"], got.headers, got.body)
    verify_webhook(rotated["secret"], got.headers, got.body)
    assert json.loads(got.body)["event"] == "webhook.test"


def test_killing_the_worker_process_and_restarting_it_loses_no_event(
    config, tmp_path, receivers, ca
):
    inbox = receiver(receivers, ca, delay=0.05)
    server = RunningServer(tmp_path / "connect.db", config)
    env = {
        **os.environ,
        "CONNECT_DB": str(tmp_path / "connect.db"),
        "CONNECT_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8,::1/128",
        "CONNECT_WEBHOOK_CA_BUNDLE": config.webhook_ca_bundle or "",
        "CONNECT_RETRY_SCHEDULE": "0,0,0,0,0,0,0,0",
        "CONNECT_WORKER_LEASE_SECONDS": "2",
        "CONNECT_DELIVERY_RATE_PER_SECOND": "0",
    }
    command = [sys.executable, "-m", "connect.entrypoints.cli", "worker", "--concurrency", "4"]
    workers: list[subprocess.Popen] = []
    try:
        hook = register(server, inbox.url)
        for _ in range(30):
            submit(server)
        workers.append(
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        assert wait_until(lambda: inbox.count() >= 5)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=5)
        workers.append(
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        events = {d["event_id"] for d in deliveries(server, hook)}
        assert len(events) == 30
        assert wait_until(
            lambda: {r.headers["webhook-id"] for r in inbox.received} >= events, timeout=20
        )
        workers[1].send_signal(signal.SIGTERM)
        assert workers[1].wait(timeout=20) == 0
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)
        server.http.clear()
        server.close()


def test_listing_redelivering_and_deleting_through_the_api(served, receivers, ca):
    inbox = receiver(receivers, ca)
    hook = register(served, inbox.url)
    other = served.key("webhooks:manage")
    reader = served.key("submissions:read")
    submit(served)
    assert wait_until(lambda: inbox.count() == 1)
    assert wait_until(lambda: deliveries(served, hook)[0]["status"] == "succeeded")
    listed = served.request("GET", "/api/v1/webhooks", token=hook["token"]).json()
    assert [w["id"] for w in listed["data"]] == [hook["id"]] and listed["next_cursor"] is None
    assert "secret" not in listed["data"][0]
    assert served.request("GET", "/api/v1/webhooks", token=other).json()["data"] == []
    assert served.request("GET", f"/api/v1/webhooks/{hook['id']}", token=other).status == 404
    assert served.request("GET", "/api/v1/webhooks", token=reader).status == 403
    all_hooks = served.request("GET", "/api/v1/webhooks", token=served.organizer).json()["data"]
    assert [w["id"] for w in all_hooks] == [hook["id"]]
    (delivery,) = deliveries(served, hook)
    again = served.request(
        "POST", f"/api/v1/deliveries/{delivery['id']}/redeliver", token=hook["token"]
    )
    assert again.status == 202, again
    assert wait_until(lambda: inbox.count() == 2)
    assert inbox.received[0].headers["webhook-id"] == inbox.received[1].headers["webhook-id"]
    gone = served.request("DELETE", f"/api/v1/webhooks/{hook['id']}", token=hook["token"])
    assert gone.status == 204
    assert (
        served.request("GET", f"/api/v1/webhooks/{hook['id']}", token=hook["token"]).status == 404
    )


def test_two_worker_processes_share_one_database_without_sending_twice(
    config, tmp_path, receivers, ca
):
    inbox = receiver(receivers, ca, delay=0.01)
    server = RunningServer(tmp_path / "connect.db", config)
    env = {
        **os.environ,
        "CONNECT_DB": str(tmp_path / "connect.db"),
        "CONNECT_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8,::1/128",
        "CONNECT_WEBHOOK_CA_BUNDLE": config.webhook_ca_bundle or "",
        "CONNECT_DELIVERY_RATE_PER_SECOND": "0",
    }
    command = [sys.executable, "-m", "connect.entrypoints.cli", "worker", "--concurrency", "4"]
    workers: list[subprocess.Popen] = []
    try:
        register(server, inbox.url)
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        for _ in range(40):
            submit(server)
        assert wait_until(lambda: inbox.count() >= 40, timeout=20)
        for process in workers:
            process.send_signal(signal.SIGINT)
        # NOTE: a worker stopped by SIGINT finishes its attempts in flight and exits:
        # once both have, nothing more can arrive.
        assert [p.wait(timeout=20) for p in workers] == [0, 0]
        ids = [r.headers["webhook-id"] for r in inbox.received]
        assert len(ids) == 40 and len(set(ids)) == 40
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)
        server.http.clear()
        server.close()


def test_test_sends_to_a_hanging_receiver_leave_the_server_answering(
    config, tmp_path, receivers, ca
):
    inbox = receiver(receivers, ca)
    inbox.hang = True  # reads each request, never answers (until closed)
    server = RunningServer(tmp_path / "connect.db", config, threads=4)
    try:
        hook = register(server, inbox.url)
        path = f"/api/v1/webhooks/{hook['id']}/test"
        replies: list = []
        lock = threading.Lock()

        def send() -> None:
            reply = server.request("POST", path, token=hook["token"], source="127.0.0.41")
            with lock:
                replies.append(reply)

        senders = [threading.Thread(target=send) for _ in range(4)]
        for thread in senders:
            thread.start()
        # Two sends are in flight (the receiver holds them), the other two were turned
        # away at once: all four request threads are not taken.
        assert wait_until(lambda: inbox.count() == 2)
        assert wait_until(lambda: len(replies) == 2)
        health = server.request("GET", "/healthz")
        assert health.status == 200
        with lock:
            assert len(replies) == 2, "the held test sends were still waiting for the receiver"
            refused = list(replies)
        for reply in refused:
            assert reply.status == 503, reply
            assert reply.json()["type"] == "/docs/api#problem-overloaded"
            assert int(reply.headers["Retry-After"]) >= 1
        for thread in senders:
            thread.join(timeout=30)
        timed_out = [r for r in replies if r.status == 200]
        assert len(timed_out) == 2
        for reply in timed_out:
            body = reply.json()
            assert body["success"] is False and body["status_code"] is None
            assert "timed out" in body["error"]
        log = deliveries(server, hook)
        assert len(log) == 2 and {d["status"] for d in log} == {"failed"}
        assert inbox.count() == 2, "the refused sends never reached the receiver"
    finally:
        inbox.close()
        server.close()
