"""Scale-out benchmark: webhook delivery throughput with 1, 2 and 4 ``connect worker``
processes on one PostgreSQL database, SQLite with one worker as the reference, and the
authenticated list on PostgreSQL against SQLite, all in one run.

    .venv/bin/python -m bench.pg_scale [--events 500] [--receivers 4] [--concurrency 16]
        [--workers 1,2,4] [--seconds 12] [--rounds 4]

Deliveries go to HTTPS receivers in a process of their own (bench/threaded_receiver.py,
a thread per connection); raw urllib3 posting the same bodies from 1 and 4 processes
is their ceiling. Each run enqueues everything while the workers are frozen (SIGSTOP,
after they have started), then continues them and times until every delivery has
succeeded: start-up and enqueueing are not in the figure. CPU seconds of the workers,
the receivers and PostgreSQL (postmaster and backends) are read from /proc.

PostgreSQL is a throw-away cluster (tests/postgres_cluster.py) with durable settings:
fsync, synchronous_commit and full_page_writes on (PostgreSQL's defaults), as SQLite
runs with its own defaults here (WAL, synchronous=NORMAL).
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trustme
from tests.e2e.receiver import write_ca
from tests.postgres_cluster import Cluster, create_database, find_bin, with_database

from bench import wrk
from bench.cpu import Cpu, postmaster_pid
from bench.pg_list import list_rates
from bench.raw_ceiling import ceiling
from bench.webhooks import FORM, RemoteReceiver, threaded_receivers
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.keys import Scope
from connect.domain.requests.webhooks import WebhookRegistration

CLI = [sys.executable, "-m", "connect.entrypoints.cli"]
DURABLE = ("fsync=on", "synchronous_commit=on", "full_page_writes=on")


def environment(db: str, bundle: Path, concurrency: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_")}
    env.update(
        CONNECT_DB=db,
        CONNECT_SECRET_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        CONNECT_WEBHOOK_ALLOW_NETWORKS="127.0.0.0/8,::1/128",
        CONNECT_WEBHOOK_CA_BUNDLE=str(bundle),
        CONNECT_DELIVERY_RATE_PER_SECOND="0",
        CONNECT_CONCURRENCY=str(concurrency),
        CONNECT_LOG_FORMAT="text",
    )
    return env


def poll(condition: Callable[[], bool], timeout: float) -> bool:
    """``condition`` every 50 ms (a count query: rare enough not to load the database)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def deliver(
    db: str, workers: int, args: argparse.Namespace, bundle: Path, urls: list[str], pg: int | None
) -> tuple[float, dict[str, float]]:
    """Deliveries/s of ``workers`` worker processes on ``db``, and CPU seconds by group."""
    env = environment(db, bundle, args.concurrency)
    connect = Connect.open(Config.from_env(env))
    try:
        owner = connect.keys.authenticate(
            connect.keys.create(
                name="bench", scopes=frozenset({Scope.WEBHOOKS_MANAGE}), created_by="bench"
            ).token
        )
        for url in urls:
            connect.webhooks.register(
                owner, WebhookRegistration(url=url, events=["submission.created"])
            )
        processes = [
            subprocess.Popen(
                [*CLI, "worker"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _ in range(workers)
        ]
        for process in processes:
            assert process.stdout is not None
            while "delivering" not in process.stdout.readline():
                assert process.poll() is None, "a worker did not start"
            process.send_signal(signal.SIGSTOP)
        for _ in range(args.events):
            connect.submissions.submit_form(FORM)
        total = args.events * len(urls)
        cpu = Cpu({"workers": [p.pid for p in processes], "receivers": [args.receiver_pid]}, pg)
        started = time.perf_counter()
        for process in processes:
            process.send_signal(signal.SIGCONT)
        done = poll(lambda: succeeded(connect) >= total, 300)
        seconds = time.perf_counter() - started
        spent = cpu.used()
        for process in processes:
            process.terminate()
            process.wait(30)
        assert done, "the workers did not deliver everything in 300 s"
        return total / seconds, {name: t / seconds for name, t in spent.items()}
    finally:
        connect.close()


def succeeded(connect: Connect) -> int:
    with connect.uow(write=False) as stores:
        return stores.deliveries.count(DeliveryStatus.SUCCEEDED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--receivers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    bin_dir = find_bin()
    if bin_dir is None:
        sys.exit("needs PostgreSQL's programs (Debian: apt-get install postgresql)")
    ca = trustme.CA()
    with tempfile.TemporaryDirectory() as tmp, Cluster(bin_dir, DURABLE) as cluster:
        work = Path(tmp)
        bundle = write_ca(ca, work)
        receiver = threaded_receivers(ca, work, args.receivers)
        assert receiver.stdout is not None and receiver.stdin is not None
        urls = [RemoteReceiver(int(p)).url for p in receiver.stdout.readline().split()]
        args.receiver_pid = receiver.pid
        pg = postmaster_pid(cluster.data)
        try:
            rows = []
            total = args.events * args.receivers
            for engine, workers in [("sqlite", 1)] + [
                ("postgres", int(n)) for n in args.workers.split(",")
            ]:
                if engine == "postgres":
                    name = f"deliver_{workers}"
                    create_database(cluster.url, name)
                    db = with_database(cluster.url, name)
                else:
                    db = str(work / "deliver.db")
                rate, cpu = deliver(
                    db, workers, args, bundle, urls, pg if engine != "sqlite" else None
                )
                rows.append((engine, workers, rate, cpu))
            raw = {
                n: ceiling(urls, bundle, total, n, args.concurrency, receiver.pid) for n in (1, 4)
            }
        finally:
            receiver.stdin.close()
            receiver.wait(30)
        listed, pg_cpu = list_rates(lists(cluster, work, bundle), args, pg)
    report(args, rows, raw, listed, pg_cpu)


def lists(cluster: Cluster, work: Path, bundle: Path) -> dict[str, dict[str, str]]:
    """The list's servers: each engine with the per-key limit counted, and without it."""
    made = {}
    for limit, counted in (("100000000", ""), ("0", ", per-key limit off")):
        create_database(cluster.url, f"listing{limit}")
        for engine, db in (
            ("sqlite", str(work / f"list{limit}.db")),
            ("postgres", with_database(cluster.url, f"listing{limit}")),
        ):
            env = {**environment(db, bundle, 16), "CONNECT_RATE_LIMIT_PER_MINUTE": limit}
            made[engine + counted] = env
    return made


def report(args, rows, raw, listed, pg_cpu) -> None:
    print(
        f"delivery: {args.events} events x {args.receivers} HTTPS receivers "
        f"(threaded, own process), worker concurrency {args.concurrency}, PostgreSQL durable "
        f"({', '.join(DURABLE)}); CPU in cores (CPU seconds per wall second); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    one = next(rate for engine, n, rate, _ in rows if engine == "postgres" and n == 1)
    for engine, n, rate, cpu in rows:
        ratio = f"{rate / one:5.2f}x" if engine == "postgres" else "  ref"
        cores = "  ".join(f"{k} {v:4.2f}" for k, v in cpu.items())
        print(f"  {engine:<8} {n} worker(s) {rate:8.1f} deliveries/s  {ratio}  CPU: {cores}")
    for n, (rate, cores) in raw.items():
        print(
            f"  raw urllib3, {n} process(es) x {args.concurrency} threads {rate:8.1f} requests/s"
            f"  CPU: receivers {cores:4.2f}"
        )
    print(
        f"GET /api/v1/submissions?limit=50 by {wrk.generator()}, 16 connections, "
        f"{args.seconds:.0f} s each, split into {args.rounds} alternating rounds"
    )
    for label, result in listed.items():
        print(result.line(label))
    print("server CPU per request, API process + PostgreSQL:")
    for label, result in listed.items():
        base = listed["sqlite" + label.removeprefix("postgres").removeprefix("sqlite")]
        used = (result.cpu + pg_cpu[label]) / result.requests * 1e6
        print(
            f"  {label:<34} {used:6.0f} us ({pg_cpu[label] / result.requests * 1e6:5.0f} us in "
            f"PostgreSQL)  req/s {result.rate / base.rate:4.2f}x sqlite's"
        )


if __name__ == "__main__":
    main()
