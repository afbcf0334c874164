"""Argon2 memory under guessing: 64 concurrent wrong secrets for one known key id
against the real server, the server's peak RSS (VmHWM) before and after, and how a
valid (already verified) key's latency behaves during the storm.

Two servers in the same run: the baseline is the old setup (a key hashed with
argon2-cffi's default 64 MiB parameters, verifications unbounded:
``CONNECT_ARGON2_CONCURRENCY=64``), the other today's (OWASP's 19 MiB, t=2, p=1 and
at most 2 verifications at once). The auth-failure limits are off in both, so every
guess reaches argon2 (the worst case those limits would otherwise cut short).

    .venv/bin/python -m bench.argon2_memory [--guesses 64] [--waves 2]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from argon2 import PasswordHasher

from bench.load import Server, python
from connect.adapters.hashing import Argon2Hasher, VerifiedTokenCache
from connect.adapters.sqlite import SqliteUnitOfWork
from connect.bootstrap import bootstrap
from connect.config import Config
from connect.domain.keys import ALL_SCOPES, Scope


def seed(db: Path, hasher: PasswordHasher | None) -> tuple[str, str]:
    """A valid organizer token and a target key id, hashed with ``hasher``."""
    uow = SqliteUnitOfWork(db)
    uow.migrate()
    connect = bootstrap(
        Config(db=str(db)), uow, hasher=VerifiedTokenCache(Argon2Hasher(hasher, concurrency=4))
    )
    try:
        valid = connect.keys.create(name="valid", scopes=ALL_SCOPES, created_by="bench").token
        target = connect.keys.create(
            name="target", scopes=frozenset({Scope.SUBMISSIONS_READ}), created_by="bench"
        ).token
    finally:
        connect.close()
    return valid, target[:17] + "0" * 16


def get(host: str, port: int, token: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        conn.request(
            "GET", "/api/v1/submissions?limit=1", headers={"Authorization": f"Bearer {token}"}
        )
        status = conn.getresponse().status
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000


def storm(server: Server, valid: str, wrong: str, guesses: int, waves: int) -> dict[str, object]:
    host, port = server.host, server.port
    assert get(host, port, valid)[0] == 200  # verified once: cached from now on
    quiet = [get(host, port, valid)[1] for _ in range(20)]
    before = server.rss_mb()[1]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    during: list[float] = []
    stop = threading.Event()

    def guess() -> None:
        status, _ = get(host, port, wrong)
        with lock:
            statuses[status] += 1

    def probe() -> None:
        while not stop.is_set():
            status, ms = get(host, port, valid)
            assert status == 200, status
            during.append(ms)

    prober = threading.Thread(target=probe)
    prober.start()
    for _ in range(waves):
        threads = [threading.Thread(target=guess) for _ in range(guesses)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    stop.set()
    prober.join(timeout=60)
    return {
        "peak_before": before,
        "peak_after": server.rss_mb()[1],
        "statuses": dict(sorted(statuses.items())),
        "quiet_p50": statistics.median(quiet),
        "storm_p50": statistics.median(during),
        "storm_max": max(during),
        "probes": len(during),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guesses", type=int, default=64, help="concurrent wrong guesses")
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    setups = {
        "baseline: 64 MiB hashes, unbounded": (PasswordHasher(), "64"),
        "now: 19 MiB (OWASP), 2 at once": (None, "2"),
    }
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, (hasher, concurrency) in setups.items():
            db = Path(tmp) / f"{concurrency}.db"
            valid, wrong = seed(db, hasher)
            env = {
                **os.environ,
                "CONNECT_ARGON2_CONCURRENCY": concurrency,
                "CONNECT_AUTH_FAILURE_LIMIT": "0",
                "CONNECT_AUTH_FAILURE_LIMIT_PER_KEY": "0",
                "CONNECT_RATE_LIMIT_PER_MINUTE": "0",
            }
            argv = [python(), "-m", "connect.entrypoints.cli", "serve", "--no-worker"]
            argv += ["--port", "0", "--db", str(db), "--threads", str(args.threads)]
            server = Server(argv, env)
            try:
                results[label] = storm(server, valid, wrong, args.guesses, args.waves)
            finally:
                server.stop()
    for label, r in results.items():
        print(
            f"{label}: peak RSS {r['peak_before']:.0f} -> {r['peak_after']:.0f} MB; "
            f"guesses answered {r['statuses']}; valid cached key p50 {r['quiet_p50']:.1f} ms "
            f"quiet, {r['storm_p50']:.1f} ms (max {r['storm_max']:.0f} ms, "
            f"{r['probes']} requests) during the storm"
        )
    base, now = results.values()
    print(
        f"peak RSS now/baseline: {float(now['peak_after']) / float(base['peak_after']):.2f}; "  # type: ignore[arg-type]
        f"valid-key p50 during the storm now/baseline: "
        f"{float(now['storm_p50']) / float(base['storm_p50']):.2f}"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
