"""Webhook delivery benchmark: worker throughput against a raw urllib3 loop, the
latency from commit to arrival for the embedded and the standalone worker, and a
healthy endpoint's latency alone and beside endpoints that hang.

    .venv/bin/python bench/webhooks.py [--events 300] [--receivers 4] [--concurrency 16]
        [--samples 100] [--hanging 20]

Everything talks to HTTPS receivers on 127.0.0.1 (trustme certificates). The throughput
receivers run in a process of their own (bench/threaded_receiver.py, a thread per
connection) so they are not the bottleneck of either side.
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
from connect.domain.requests.submissions import SubmissionFields
from connect.domain.requests.webhooks import WebhookRegistration

FORM = SubmissionFields(
    speaker_name="Ferris", talk_context="Zero-cost abstractions", is_on_behalf=False
)
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
        connect.webhooks.register(
            owner, WebhookRegistration(url=receiver.url, events=["submission.created"])
        )
    return connect


class RemoteReceiver:
    """One receiver of the threaded receiver process (only its URL is needed)."""

    def __init__(self, port: int) -> None:
        self.url = f"https://127.0.0.1:{port}/hook"


def threaded_receivers(ca: trustme.CA, work: Path, count: int) -> subprocess.Popen[str]:
    pem = work / "receiver.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(pem))
    script = Path(__file__).with_name("threaded_receiver.py")
    return subprocess.Popen(
        [sys.executable, str(script), str(pem), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def throughput(args, work: Path, ca: trustme.CA, bundle: Path) -> tuple[float, float]:
    process = threaded_receivers(ca, work, args.receivers)
    assert process.stdout is not None and process.stdin is not None
    receivers = [RemoteReceiver(int(port)) for port in process.stdout.readline().split()]
    try:
        connect = setup(work / "throughput.db", bundle, receivers)  # type: ignore[arg-type]
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
        done = until(lambda: _succeeded(connect) >= total, 120)
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
        process.stdin.close()
        process.wait(30)


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


def hanging_latency(args, work: Path, ca: trustme.CA, bundle: Path):
    """The healthy endpoint's latencies alone and beside ``--hanging`` endpoints that
    accept the connection and never answer; the two setups run side by side and take
    turns, so the machine's noise falls on both alike."""
    alone, crowded = Receiver(ca), Receiver(ca)
    hanging = [Receiver(ca) for _ in range(args.hanging)]
    for receiver in hanging:
        receiver.hang = True
    setups = []
    try:
        for name, receivers in (("alone", [alone]), ("crowded", [crowded, *hanging])):
            connect = setup(work / f"{name}.db", bundle, receivers)
            worker = connect.worker()
            thread = threading.Thread(target=worker.run)
            thread.start()
            setups.append((connect, worker, thread))
            latencies(connect, receivers[0], 5)  # warm up
        found: dict[str, list[float]] = {"alone": [], "crowded": []}
        for _ in range(args.samples // 5):
            for (connect, _, _), (name, receiver) in zip(
                setups, (("alone", alone), ("crowded", crowded)), strict=True
            ):
                found[name] += latencies(connect, receiver, 5)
        held = sum(r.count() for r in hanging)
        return found["alone"], found["crowded"], held
    finally:
        for receiver in [alone, crowded, *hanging]:
            receiver.release()
        for connect, worker, thread in setups:
            worker.stop()
            thread.join(30)
            connect.close()
        for receiver in [alone, crowded, *hanging]:
            receiver.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--receivers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--hanging", type=int, default=20)
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
        alone, crowded, held = hanging_latency(args, work, ca, bundle)
        a95, c95 = percentile(alone, 95), percentile(crowded, 95)
        print("healthy endpoint, commit -> arrival (embedded worker, default pool):")
        print(f"  alone                p50 {percentile(alone, 50):6.1f} ms, p95 {a95:6.1f} ms")
        print(
            f"  with {args.hanging} hanging     p50 {percentile(crowded, 50):6.1f} ms, "
            f"p95 {c95:6.1f} ms ({held} requests held by the hanging endpoints)"
        )
        print(f"  p95 ratio   {c95 / a95:8.2f} (target <= 2)")
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
