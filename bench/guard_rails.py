"""Guard rails on versus off: the same authenticated ``GET /api/v1/submissions?limit=50``
on two ``connect serve`` processes over the same database, one with rate limiting and
the audit log on, one with both off. Same waitress settings, same load generator,
alternating rounds in one run. Prints both rates, the ratio, and p50/p99 latency.

"On" keeps every guard rail working on every request (the per-key quota is counted,
both RateLimit headers are sent, an audit entry is queued and written by the
background writer), with the per-key limit raised so the load never hits a 429.

    .venv/bin/python -m bench.guard_rails [--seconds 18] [--rounds 6] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
from pathlib import Path

from bench.api_list import seed
from bench.load import Result, Server, measure, python

PATH = "/api/v1/submissions?limit=50"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: Server) -> float:
    """User + system CPU the server process has used (every thread, the audit writer's
    too), from /proc."""
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


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
    parser.add_argument("--concurrency", type=int, default=16)
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
        results: dict[str, Result] = {}
        cpu: dict[str, float] = dict.fromkeys(servers, 0.0)
        try:
            # NOTE: rounds alternate between the two servers so that noise from the rest
            # of the machine falls on both alike; all rounds are pooled.
            for round in range(args.rounds):
                # NOTE: and the order flips every round, so neither server always goes
                # first after the other's load.
                order = list(servers.items())
                for label, server in order if round % 2 == 0 else reversed(order):
                    before = cpu_seconds(server)
                    result = measure(
                        server.host,
                        server.port,
                        PATH,
                        headers,
                        concurrency=args.concurrency,
                        seconds=args.seconds / args.rounds,
                    )
                    # NOTE: the warm-up second is outside the counted requests but inside
                    # this CPU figure, for both servers alike.
                    cpu[label] += cpu_seconds(server) - before
                    results[label] = results[label].merge(result) if label in results else result
        finally:
            for server in servers.values():
                server.stop()
        with sqlite3.connect(db) as conn:
            (audited,) = conn.execute("SELECT count(*) FROM api_audit_log_1").fetchone()

    print(
        f"GET {PATH}, {args.concurrency} connections, waitress threads={args.threads}, "
        f"{args.seconds:.0f} s each in {args.rounds} rounds"
    )
    for label, result in results.items():
        print(result.line(label))
    off_rate, on_rate = results["guard rails off"].rate, results["guard rails on"].rate
    print(f"audit rows written by the 'on' server: {audited}")
    # NOTE: on a busy machine the throughput ratio swings with whatever else runs; the
    # server's own CPU time per request is the steadier measure of what guard rails cost.
    # The CPU figure spans each round's 1 s warm-up too: count its requests at the
    # measured rate.
    per_request = {
        label: cpu[label] / (r.requests + r.rate * args.rounds) * 1e6
        for label, r in results.items()
    }
    for label, micros in per_request.items():
        print(f"{label:<28} {micros:7.0f} us of server CPU per request")
    cpu_ratio = per_request["guard rails on"] / per_request["guard rails off"]
    print(
        f"CPU per request on/off: {cpu_ratio:.3f} (guard rails add {100 * (cpu_ratio - 1):.1f} %)"
    )
    print(
        f"ratio on/off: {on_rate / off_rate:.3f} "
        f"(guard rails cost {100 * (1 - on_rate / off_rate):.1f} % of throughput; target < 15 %)"
    )


if __name__ == "__main__":
    main()
