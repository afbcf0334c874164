"""Guard rails on versus off: the same authenticated ``GET /api/v1/submissions?limit=50``
on two ``connect serve`` processes over the same database, one with rate limiting and
the audit log on, one with both off. Same waitress settings, same load generator
(``wrk`` when installed, else the Python one), alternating rounds in one run. Prints,
per server, req/s, p50/p99 and server CPU per request, then the ratios.

"On" keeps every guard rail working on every request (the per-key quota is counted,
both RateLimit headers are sent, an audit entry is queued and written by the
background writer), with the per-key limit raised so the load never hits a 429.

    .venv/bin/python -m bench.guard_rails [--seconds 18] [--rounds 6] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
from pathlib import Path

from bench import wrk
from bench.api_list import seed
from bench.load import Server, python

PATH = "/api/v1/submissions?limit=50"
TICK = os.sysconf("SC_CLK_TCK")


def serve(db: Path, threads: int, env: dict[str, str]) -> Server:
    argv = [
        python(),
        "-m",
        "connect.entrypoints.cli",
        "serve",
        "--no-worker",
        "--port",
        "0",
        "--db",
        str(db),
        "--threads",
        str(threads),
    ]
    return Server(argv, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=18.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        token = seed(db)
        base = {**os.environ, "CONNECT_LOG_FORMAT": "text"}
        on = {**base, "CONNECT_RATE_LIMIT_PER_MINUTE": "100000000", "CONNECT_AUDIT": "on"}
        off = {**base, "CONNECT_RATE_LIMIT_PER_MINUTE": "0", "CONNECT_AUDIT": "off"}
        servers = {
            "guard rails off": serve(db, args.threads, off),
            "guard rails on": serve(db, args.threads, on),
        }
        headers = {"Authorization": f"Bearer {token}"}
        results: dict[str, wrk.WrkResult] = {}
        try:
            # NOTE: rounds alternate between the two servers, and the order flips every
            # round, so noise from the rest of the machine falls on both alike.
            for round in range(args.rounds):
                order = list(servers.items())
                for label, server in order if round % 2 == 0 else reversed(order):
                    got = wrk.drive(
                        server.process.pid,
                        server.host,
                        server.port,
                        PATH,
                        headers,
                        connections=args.connections,
                        seconds=args.seconds / args.rounds,
                    )
                    results[label] = results[label].merge(got) if label in results else got
        finally:
            for server in servers.values():
                server.stop()
        with sqlite3.connect(db) as conn:
            (audited,) = conn.execute("SELECT count(*) FROM api_audit_log_1").fetchone()

    print(
        f"GET {PATH} by {wrk.generator()}, {args.connections} connections, waitress "
        f"threads={args.threads}, {args.seconds:.0f} s each, split into {args.rounds} rounds"
    )
    for label, result in results.items():
        print(result.line(label))
    off, on = results["guard rails off"], results["guard rails on"]
    print(f"audit rows written by the 'on' server: {audited}")
    # NOTE: on a busy machine the throughput ratio swings with whatever else runs; the
    # server's own CPU time per request is the steadier measure of what guard rails cost.
    cpu_ratio = on.cpu_us_per_request / off.cpu_us_per_request
    print(
        f"CPU per request on/off: {cpu_ratio:.3f} (guard rails add {100 * (cpu_ratio - 1):.1f} %)"
    )
    print(
        f"ratio on/off: {on.rate / off.rate:.3f} "
        f"(guard rails cost {100 * (1 - on.rate / off.rate):.1f} % of throughput; target < 15 %)"
    )


if __name__ == "__main__":
    main()
