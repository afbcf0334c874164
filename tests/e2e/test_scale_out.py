"""Many processes on one database: ``connect serve --no-worker`` API processes and
``connect worker`` processes, real HTTPS receivers counting what arrives.

On PostgreSQL two API processes and three workers share one database and fan 1,000
events out: every (event, webhook) pair arrives exactly once; with a worker killed
mid-run nothing is lost and only deliveries whose lease it held may arrive twice. The
same runs on one SQLite file with one API process and two workers, smaller.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import trustme

from connect.config import is_postgres
from connect.testing import wait_until
from tests.e2e.receiver import Receiver, write_ca
from tests.e2e.server import ServeProcess, WorkerProcess

pytestmark = pytest.mark.e2e
FORM = {"speakerName": "Ferris", "talkContext": "Fearless concurrency", "isOnBehalf": False}
CREATED, UPDATED = "submission.created", "submission.updated"
# What each receiver's webhook subscribes to: every event reaches two webhooks.
SUBSCRIPTIONS = ((CREATED, UPDATED), (CREATED,), (UPDATED,))


@dataclass(frozen=True)
class Shape:
    """How many processes share the database, and how many talks go through them (each
    makes two events: the form's ``submission.created``, the patch's ``submission.updated``)."""

    apis: int
    workers: int
    talks: int


ON_POSTGRES = Shape(apis=2, workers=3, talks=500)
ON_SQLITE = Shape(apis=1, workers=2, talks=100)


def rows(db: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """One read straight from the database (``%s`` placeholders), beside the processes."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql.replace("%s", "?"), params).fetchall()


def leases_of(db: str, owner: str) -> set[tuple[int, str]]:
    """(webhook id, event id) of every delivery ``owner`` holds a lease on."""
    found = rows(
        db,
        "SELECT webhook_id, event_id FROM webhook_deliveries_1"
        " WHERE status = 'in_flight' AND lease_owner = %s",
        owner,
    )
    return {(int(w), str(e)) for w, e in found}


def settled(db: str) -> bool:
    """Nothing pending or in flight: no process will send anything more."""
    ((open_,),) = rows(
        db, "SELECT count(*) FROM webhook_deliveries_1 WHERE status IN ('pending', 'in_flight')"
    )
    return int(open_) == 0


class Installation:
    """API processes and worker processes on one database, webhooks to local receivers."""

    def __init__(self, db: str, shape: Shape, work: Path, *, lease_seconds: int) -> None:
        self.db, self.shape, self.work = db, shape, work
        ca = trustme.CA()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_")}
        self.env.update(
            CONNECT_DB=db,
            CONNECT_SECRET_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
            CONNECT_WEBHOOK_ALLOW_NETWORKS="127.0.0.0/8,::1/128",
            CONNECT_WEBHOOK_CA_BUNDLE=str(write_ca(ca, work)),
            CONNECT_RETRY_SCHEDULE="0,0,0,0,0,0,0,0",
            CONNECT_DELIVERY_RATE_PER_SECOND="0",
            CONNECT_WORKER_LEASE_SECONDS=str(lease_seconds),
            CONNECT_CONCURRENCY="16",
            CONNECT_THREADS="8",
            # NOTE: the whole run posts the form from one address (its limit is off) and
            # patches with one key (its limit is counted on every request, never refusing).
            CONNECT_FORM_LIMIT="0",
            CONNECT_RATE_LIMIT_PER_MINUTE="1000000",
        )
        self.apis: list[ServeProcess] = []
        self.workers: list[WorkerProcess] = []
        self.receivers = [Receiver(ca) for _ in SUBSCRIPTIONS]
        self.hooks: list[int] = []

    def start(self) -> None:
        # NOTE: the first process makes the organizer key, so the others start after it.
        for i in range(self.shape.apis):
            organizer = self.apis[0].organizer if self.apis else None
            self.apis.append(ServeProcess(self.env, self.work / f"api{i}.log", organizer))
        for i, (receiver, events) in enumerate(zip(self.receivers, SUBSCRIPTIONS, strict=True)):
            api = self.api(i)
            token = api.key("webhooks:manage", name=f"hook {i}")
            reply = api.request(
                "POST",
                "/api/v1/webhooks",
                token=token,
                json_body={"url": receiver.url, "events": list(events)},
            )
            assert reply.status == 201, reply
            self.hooks.append(int(reply.json()["id"]))
        self.workers = [
            WorkerProcess(self.env, self.work / f"worker{i}.log") for i in range(self.shape.workers)
        ]

    def api(self, i: int) -> ServeProcess:
        """The API processes in turn."""
        return self.apis[i % len(self.apis)]

    def run_talks(self) -> list[int]:
        """Every talk through the public form, then accepted by a PATCH, each request to
        the API processes in turn, eight at a time. Returns the submission ids."""
        editor = self.api(0).key("submissions:write", "submissions:read", name="editor")

        def submit(i: int) -> int:
            reply = self.api(i).request("POST", "/api/submissions", json_body=FORM)
            assert reply.status == 201, reply
            return int(reply.json()["submissionId"])

        def accept(i: int, id: int) -> None:
            reply = self.api(i).request(
                "PATCH", f"/api/v1/submissions/{id}", token=editor, json_body={"status": "accepted"}
            )
            assert reply.status == 200, reply

        with ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(submit, range(self.shape.talks)))
            list(pool.map(accept, range(self.shape.talks), ids))
        return ids

    def arrived(self) -> dict[tuple[int, str], int]:
        """How many times each (webhook id, event id) reached its receiver."""
        counted: Counter[tuple[int, str]] = Counter()
        for hook, receiver in zip(self.hooks, self.receivers, strict=True):
            counted.update((hook, r.headers["webhook-id"]) for r in receiver.snapshot())
        return dict(counted)

    def events(self) -> dict[str, tuple[str, int]]:
        """Every event that arrived anywhere: its type and submission id, by event id."""
        found: dict[str, tuple[str, int]] = {}
        for receiver in self.receivers:
            for got in receiver.snapshot():
                body = json.loads(got.body)
                found[got.headers["webhook-id"]] = (body["event"], int(body["data"]["id"]))
        return found

    def __enter__(self) -> Installation:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for process in [*self.workers, *(api.server for api in self.apis)]:
            if process.process.poll() is None:
                process.kill()
        for receiver in self.receivers:
            receiver.close()


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Shape]:
    """One empty database, and how many processes and talks it gets."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url"), ON_POSTGRES
    return str(tmp_path / "connect.db"), ON_SQLITE


def expected_pairs(made: Installation, ids: list[int]) -> set[tuple[int, str]]:
    """Every (webhook, event) that must arrive, from the events that did arrive, checked
    against the talks: one ``submission.created`` and one ``submission.updated`` each."""
    events = made.events()
    by_type = Counter(events.values())
    assert by_type == Counter([(CREATED, id) for id in ids] + [(UPDATED, id) for id in ids])
    return {
        (hook, event_id)
        for hook, subscribed in zip(made.hooks, SUBSCRIPTIONS, strict=True)
        for event_id, (type_, _) in events.items()
        if type_ in subscribed
    }


def stopped_cleanly(made: Installation, processes: list[Any]) -> None:
    for process in processes:
        assert process.stop() == 0, process.output()
    for api in made.apis:
        api.close()
        assert api.server.process.returncode == 0, api.server.output()


def test_every_event_reaches_every_webhook_exactly_once_across_processes(
    database: tuple[str, Shape], tmp_path: Path
) -> None:
    db, shape = database
    with Installation(db, shape, tmp_path, lease_seconds=30) as made:
        ids = made.run_talks()
        total = 4 * shape.talks  # each event reaches two of the three webhooks
        assert wait_until(lambda: len(made.arrived()) >= total and settled(db), timeout=60), (
            f"{len(made.arrived())} of {total} arrived"
        )
        arrived = made.arrived()
        assert set(arrived) == expected_pairs(made, ids)
        twice = {pair: n for pair, n in arrived.items() if n > 1}
        assert twice == {}, f"{len(twice)} deliveries arrived more than once"
        assert rows(db, "SELECT count(*) FROM webhook_deliveries_1") == [(total,)]
        stopped_cleanly(made, made.workers)


def test_a_worker_killed_mid_run_loses_nothing_and_repeats_only_what_it_held(
    database: tuple[str, Shape], tmp_path: Path
) -> None:
    db, shape = database
    total = 4 * shape.talks
    with Installation(db, shape, tmp_path, lease_seconds=3) as made:
        victim, survivors = made.workers[0], made.workers[1:]
        with ThreadPoolExecutor(1) as background:
            talks = background.submit(made.run_talks)
            assert wait_until(lambda: sum(made.arrived().values()) >= total // 4, timeout=60)
            held = freeze_holding_leases(made, victim)
            victim.kill()
            ids = talks.result(timeout=120)
        assert wait_until(lambda: len(made.arrived()) >= total and settled(db), timeout=60), (
            f"{len(made.arrived())} of {total} arrived"
        )
        arrived = made.arrived()
        assert set(arrived) == expected_pairs(made, ids), "an event was lost"
        twice = {pair for pair, n in arrived.items() if n > 1}
        assert twice <= held, f"sent twice without the killed worker's lease: {twice - held}"
        assert all(n <= 2 for n in arrived.values())
        stopped_cleanly(made, survivors)


def freeze_holding_leases(made: Installation, worker: WorkerProcess) -> set[tuple[int, str]]:
    """Stop ``worker`` (SIGSTOP) at a moment it holds leases, and return them: frozen,
    it can neither send nor settle any, so killed now it leaves exactly these behind."""
    held: set[tuple[int, str]] = set()

    def frozen_holding_some() -> bool:
        worker.freeze()
        held.update(leases_of(made.db, worker.name))
        if not held:
            worker.thaw()
        return bool(held)

    assert wait_until(frozen_holding_some), f"worker {worker.name} held no lease mid-run"
    return held
