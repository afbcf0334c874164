"""Erasure end to end: the real server and worker, a real HTTPS receiver that echoes
what it gets (so the name lands in a response snippet), and the raw bytes of the SQLite
file and its write-ahead log searched for the erased name afterwards."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from connect.config import Config
from connect.entrypoints.serve import start_embedded
from connect.testing import wait_until
from tests.e2e.receiver import Receiver, write_ca
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
NAME = "Zebulon Quarrington-Vask"
CONTEXT = "Xylophonic lifetimes in Quarrington's borrow checker"
EVENTS = ["submission.created", "submission.updated", "submission.deleted"]


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def echo(ca: trustme.CA) -> Iterator[Receiver]:
    receiver = Receiver(ca)
    receiver.echo = True
    yield receiver
    receiver.close()


@pytest.fixture
def served(ca: trustme.CA, tmp_path: Path) -> Iterator[RunningServer]:
    config = Config(
        webhook_allow_networks=("127.0.0.0/8", "::1/128"),
        webhook_ca_bundle=str(write_ca(ca, tmp_path)),
        retry_schedule=(0, 0, 0),
        delivery_rate_per_second=0,
    )
    running = RunningServer(tmp_path / "connect.db", config)
    worker, thread = start_embedded(running.connect)
    yield running
    worker.stop()
    thread.join(timeout=20)
    running.http.clear()
    running.close()


def stored_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as they are on disk."""
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_an_erased_speaker_leaves_no_copy_in_the_database_file(
    served: RunningServer, echo: Receiver, tmp_path: Path
) -> None:
    org = served.organizer
    hook = served.request(
        "POST", "/api/v1/webhooks", token=org, json_body={"url": echo.url, "events": EVENTS}
    ).json()
    paused = served.request(
        "POST", "/api/v1/webhooks", token=org, json_body={"url": echo.url, "events": EVENTS}
    ).json()
    assert (
        served.request(
            "PATCH", f"/api/v1/webhooks/{paused['id']}", token=org, json_body={"active": False}
        ).status
        == 200
    )
    form = {"speakerName": NAME, "talkContext": CONTEXT, "isOnBehalf": False}
    id = served.request("POST", "/api/submissions", json_body=form).json()["submissionId"]
    patch = {"talk_context": CONTEXT + ", revised"}
    assert (
        served.request("PATCH", f"/api/v1/submissions/{id}", token=org, json_body=patch).status
        == 200
    )
    assert wait_until(lambda: echo.count() == 2)
    assert wait_until(
        lambda: all(
            d["status"] == "succeeded"
            for d in served.request(
                "GET", f"/api/v1/webhooks/{hook['id']}/deliveries", token=org
            ).json()["data"]
        )
    )
    log = served.request("GET", f"/api/v1/webhooks/{hook['id']}/deliveries", token=org).json()
    assert NAME in log["data"][0]["attempts"][0]["response_snippet"]  # the echo was stored
    db = Path(served.config.db)
    assert NAME.encode() in stored_bytes(db)

    erased = served.request("DELETE", f"/api/v1/submissions/{id}", token=org)
    assert erased.status == 204, erased
    again = served.request("DELETE", f"/api/v1/submissions/{id}", token=org)
    assert again.status == 404
    assert again.headers["Content-Type"] == "application/problem+json"

    # Receivers hear of it, with the id alone.
    assert wait_until(lambda: echo.count() == 3)
    assert echo.received[-1].body.count(b'"data":{"id":%d}' % id) == 1
    # The feed keeps the events (ids for deduplication) without their data.
    feed = served.request("GET", "/api/v1/events", token=org).json()["data"]
    assert [e["event"] for e in feed] == [*EVENTS[:2], "submission.deleted"]
    assert all(e["data"] == {"id": id} for e in feed)
    # The paused webhook's deliveries will never go out.
    paused_log = served.request(
        "GET", f"/api/v1/webhooks/{paused['id']}/deliveries", token=org
    ).json()["data"]
    assert {d["status"] for d in paused_log[1:]} == {"cancelled"}
    # The audit log has the erasure, by route template.
    served.connect.audit.flush()
    audit = served.request("GET", "/api/v1/audit?limit=200", token=org)
    assert {"endpoint": "/api/v1/submissions/{id}", "method": "DELETE"}.items() <= next(
        e for e in audit.json()["data"] if e["method"] == "DELETE"
    ).items()
    assert NAME not in audit.text

    everything = served.request("GET", "/api/v1/submissions", token=org).text
    everything += served.request("GET", "/api/v1/exports/submissions.csv", token=org).text
    assert NAME not in everything and "Quarrington" not in everything

    for needle in (NAME.encode(), b"Quarrington", b"Xylophonic"):
        assert needle not in stored_bytes(db), needle
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for needle in (NAME.encode(), b"Quarrington", b"Xylophonic"):
        assert needle not in stored_bytes(db), needle
