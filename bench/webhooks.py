"""Webhook delivery benchmark: worker throughput against a raw urllib3 loop, and the
latency from commit to arrival for the embedded and the standalone worker.

    .venv/bin/python bench/webhooks.py [--events 300] [--receivers 4] [--concurrency 8]

Everything talks to HTTPS receivers on 127.0.0.1 (trustme certificates).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import trustme
import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.e2e.receiver import Receiver, write_ca

from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.deliveries import DeliveryStatus
from connect.domain.keys import Scope

FORM = {"speakerName": "Ferris", "talkContext": "Zero-cost abstractions", "isOnBehalf": False}
ALLOW = ("127.0.0.0/8", "::1/128")


def until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return condition()


def setup(db: Path, bundle: Path, receivers: list[Receiver]) -> Connect:
    config = Config(
        db=str(db),
        webhook_allow_networks=ALLOW,
        webhook_ca_bundle=str(bundle),
        delivery_rate_per_second=0,
    )
    connect = Connect.open(config)
    issued = connect.keys.create(
        name="bench", scopes=frozenset({Scope.WEBHOOKS_MANAGE}), created_by="bench"
    )
    owner = connect.keys.authenticate(issued.token)
    for receiver in receivers:
        connect.webhooks.register(owner, {"url": receiver.url, "events": ["submission.created"]})
    return connect


def throughput(args, work: Path, ca: trustme.CA, bundle: Path) -> tuple[float, float]:
    receivers = [Receiver(ca) for _ in range(args.receivers)]
    try:
        connect = setup(work / "throughput.db", bundle, receivers)
        for _ in range(args.events):
            connect.submissions.submit_form(FORM)
        total = args.events * args.receivers
        with connect.uow(write=False) as stores:
            bodies = [
                (r.url, d.payload)
                for r, hook in zip(receivers, range(1, args.receivers + 1), strict=True)
                for d in stores.deliveries.list(hook, limit=args.events)
            ]
        worker = connect.worker(concurrency=args.concurrency)
        thread = threading.Thread(target=worker.run)
        started = time.perf_counter()
        thread.start()
        done = until(lambda: sum(r.count() for r in receivers) >= total, 120)
        until(lambda: _succeeded(connect) >= total, 30)
        worker_seconds = time.perf_counter() - started
        worker.stop()
        thread.join(30)
        assert done, "the worker did not deliver everything"
        connect.close()

        pool = urllib3.PoolManager(
            ca_certs=str(bundle), maxsize=args.concurrency, retries=False, timeout=15
        )
        headers = {"Content-Type": "application/json"}
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as executor:
            statuses = list(
                executor.map(
                    lambda ub: pool.request("POST", ub[0], body=ub[1], headers=headers).status,
                    bodies,
                )
            )
        raw_seconds = time.perf_counter() - started
        assert all(s == 200 for s in statuses)
        return total / worker_seconds, len(bodies) / raw_seconds
    finally:
        for receiver in receivers:
            receiver.close()


def _succeeded(connect: Connect) -> int:
    with connect.uow(write=False) as stores:
        return stores.deliveries.count(DeliveryStatus.SUCCEEDED)


def latencies(connect: Connect, receiver: Receiver, samples: int) -> list[float]:
    found = []
    for _ in range(samples):
        before = receiver.count()
        connect.submissions.submit_form(FORM)
        committed = time.monotonic()
        assert until(lambda b=before: receiver.count() > b, 10), "no arrival within 10 s"
        found.append((receiver.received[before].at - committed) * 1000)
        time.sleep(0.02)
    return found


def embedded_latency(args, work: Path, ca: trustme.CA, bundle: Path) -> list[float]:
    receiver = Receiver(ca)
    try:
        connect = setup(work / "embedded.db", bundle, [receiver])
        worker = connect.worker()
        thread = threading.Thread(target=worker.run)
        thread.start()
        latencies(connect, receiver, 5)  # warm up the connection
        found = latencies(connect, receiver, args.samples)
        worker.stop()
        thread.join(30)
        connect.close()
        return found
    finally:
        receiver.close()


def standalone_latency(args, work: Path, ca: trustme.CA, bundle: Path) -> list[float]:
    receiver = Receiver(ca)
    process = None
    try:
        db = work / "standalone.db"
        connect = setup(db, bundle, [receiver])
        env = {
            **os.environ,
            "CONNECT_DB": str(db),
            "CONNECT_WEBHOOK_ALLOW_NETWORKS": ",".join(ALLOW),
            "CONNECT_WEBHOOK_CA_BUNDLE": str(bundle),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "connect.entrypoints.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        latencies(connect, receiver, 5)
        found = latencies(connect, receiver, args.samples)
        connect.close()
        return found
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        receiver.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--receivers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--samples", type=int, default=60)
    args = parser.parse_args()
    ca = trustme.CA()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bundle = write_ca(ca, work)
        worker_rate, raw_rate = throughput(args, work, ca, bundle)
        print(
            f"throughput: {args.events} events x {args.receivers} receivers, "
            f"concurrency {args.concurrency}"
        )
        print(f"  worker      {worker_rate:8.1f} deliveries/s (signed, recorded in SQLite)")
        print(f"  raw urllib3 {raw_rate:8.1f} requests/s")
        print(f"  ratio       {worker_rate / raw_rate:8.2f} (target >= 0.5)")
        for name, measure, target in (
            ("embedded", embedded_latency, 100),
            ("standalone", standalone_latency, 1000),
        ):
            found = measure(args, work, ca, bundle)
            print(
                f"latency commit -> arrival, {name} worker: p50 {percentile(found, 50):.1f} ms, "
                f"p95 {percentile(found, 95):.1f} ms (target p95 < {target} ms)"
            )


if __name__ == "__main__":
    main()
