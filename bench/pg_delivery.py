"""PostgreSQL delivery benchmark: commit-to-arrival latency of a standalone worker
process woken by ``LISTEN``/``NOTIFY`` (``connect worker``), against the same worker
polling every 50 ms without listening, and SQLite's polling standalone worker, all in
this run; and what each PostgreSQL worker costs the server while idle.

    .venv/bin/python bench/pg_delivery.py [--samples 100] [--idle 3] [--fast]

Deliveries are committed by this process (one transaction each, as an event's outbox
does) to a throw-away cluster (tests/postgres_cluster.py; durable settings unless
``--fast``); an HTTPS receiver on 127.0.0.1 (trustme) notes each arrival.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import psycopg
import trustme

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.receiver import Receiver, write_ca
from tests.postgres_cluster import FAST, Cluster, create_database, find_bin, with_database

from bench.webhooks import ALLOW, percentile, standalone_latency, until
from connect.adapters.crypto import generate_key
from connect.bootstrap import storage
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus, NewDelivery
from connect.domain.events import EventType
from connect.domain.mode import Mode
from connect.domain.webhooks import NewWebhook

# NOTE: the baseline: the worker Connect.worker() builds, minus the listener, polling
# as it does on SQLite.
POLLING_WORKER = """
import os, signal
from connect.bootstrap import Connect
from connect.config import Config
from connect.adapters.system.worker import DeliveryWorker
connect = Connect.open(Config.from_env(os.environ))
worker = DeliveryWorker(connect.deliveries, poll_seconds=0.05, rate=0)
signal.signal(signal.SIGTERM, lambda *_: worker.stop())
worker.run()
connect.close()
"""
SECRET = "whsec_" + base64.b64encode(os.urandom(24)).decode()


def statements(url: str) -> int:
    """Statements run on the database so far (pg_stat_statements), but these counts."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            """SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND query NOT LIKE '%%pg_stat_statements%%'"""
        ).fetchone()
        return int(row[0]) if row else 0


def idle_rate(url: str, seconds: float) -> float:
    """Statements a second on the database over ``seconds``."""
    before = statements(url)
    time.sleep(seconds)
    return (statements(url) - before) / seconds


def measure_worker(command: list[str], url: str, key: str, work: Path, ca, args):
    """Commit-to-arrival latencies (ms) of the worker ``command`` runs, and the
    transactions it makes a second while idle."""
    receiver = Receiver(ca)
    env = {
        **os.environ,
        "CONNECT_DB": url,
        "CONNECT_SECRET_KEY": key,
        "CONNECT_WEBHOOK_ALLOW_NETWORKS": ",".join(ALLOW),
        "CONNECT_WEBHOOK_CA_BUNDLE": str(work / "ca.pem"),
        "CONNECT_DELIVERY_RATE_PER_SECOND": "0",
    }
    config = Config(db=url, secret_key=base64.urlsafe_b64decode(key))
    uow = storage(config)
    uow.migrate()
    now = datetime.now(UTC)
    with uow() as stores:
        hook = stores.webhooks.add(
            NewWebhook(receiver.url, frozenset({EventType.SUBMISSION_CREATED}), SECRET, None,
                       Mode.LIVE, now)
        )  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    log = work / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:

        def sample(n: int) -> float:
            before = receiver.count()
            with uow() as stores:
                stores.deliveries.add(
                    NewDelivery(hook.id, f"evt_{n}", EventType.SUBMISSION_CREATED, b"{}",
                                DeliveryStatus.PENDING, datetime.now(UTC), datetime.now(UTC))
                )  # fmt: skip
            committed = time.monotonic()
            if not until(lambda: receiver.count() > before, 10):
                sys.exit(f"no arrival within 10 s; the worker said:\n{log.read_text()[-3000:]}")
            return (receiver.received[before].at - committed) * 1000

        for n in range(5):  # warm up: the worker starts, connects, opens its pool
            sample(-1 - n)
        # NOTE: measured before the samples' writes, which later set autovacuum going.
        idle = idle_rate(url, args.idle)
        found = []
        for n in range(args.samples):
            found.append(sample(n))
            time.sleep(0.02)
        return found, idle
    finally:
        process.terminate()
        process.wait(30)
        uow.close()
        receiver.close()


def server_settings(args: argparse.Namespace) -> tuple[str, ...]:
    return (*(FAST if args.fast else ()), "shared_preload_libraries=pg_stat_statements")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--idle", type=float, default=3.0, help="seconds to count idle commits")
    parser.add_argument("--fast", action="store_true", help="fsync=off, synchronous_commit=off")
    args = parser.parse_args()
    bin_dir = find_bin()
    if bin_dir is None:
        sys.exit("PostgreSQL is not installed (no pg_ctl found)")
    ca = trustme.CA()
    key = base64.urlsafe_b64encode(generate_key()).decode()
    with tempfile.TemporaryDirectory() as tmp, Cluster(bin_dir, server_settings(args)) as pg:
        work = Path(tmp)
        bundle = write_ca(ca, work)  # work / "ca.pem"
        runs = {}
        for name, command in (
            ("listening", [sys.executable, "-m", "connect.entrypoints.cli", "worker"]),
            ("polling", [sys.executable, "-c", POLLING_WORKER]),
        ):
            create_database(pg.url, f"bench_{name}")
            url = with_database(pg.url, f"bench_{name}")
            runs[name] = measure_worker(command, url, key, work, ca, args)
        sqlite = standalone_latency(SimpleNamespace(samples=args.samples), work, ca, bundle)
    settings = "fsync=off" if args.fast else "durable settings"
    print(f"commit -> arrival, standalone worker process, {args.samples} samples ({settings}):")
    rows = [
        ("PostgreSQL, LISTEN + 1 s poll", *runs["listening"]),
        ("PostgreSQL, 50 ms poll", *runs["polling"]),
        ("SQLite, 50 ms poll", sqlite, None),
    ]
    base = percentile(sqlite, 95)
    for label, found, idle in rows:
        p50, p95 = percentile(found, 50), percentile(found, 95)
        cost = f", idle {idle:5.1f} statements/s" if idle is not None else ""
        print(
            f"  {label:30} p50 {p50:6.1f} ms, p95 {p95:6.1f} ms ({p95 / base:4.2f}x SQLite){cost}"
        )
    print("  target: PostgreSQL LISTEN p95 < 100 ms")


if __name__ == "__main__":
    main()
