"""Authenticated ``GET /api/v1/submissions?limit=50`` on the real server versus a bare
Falcon resource returning the same 50 items from memory: same waitress settings, same
load generator (``wrk`` when installed: ``apt-get install wrk``; else the Python one),
alternating rounds in one run. Prints, per server, req/s, p50/p99 and server CPU per
request, then the ratios.

Connect runs as it ships: authentication, the per-key rate limit (raised so the load is
never a 429, but still counted), the audit log and the request log all on.

    .venv/bin/python -m bench.api_list [--seconds 24] [--rounds 6] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench import wrk
from bench.load import Server, python
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields


def seed(db: Path, rows: int = 200) -> str:
    connect = Connect.open(db)
    try:
        token = connect.keys.create(
            name="bench", scopes=ALL_SCOPES, mode=Mode.LIVE, created_by="bench"
        ).token
        for i in range(rows):
            connect.submissions.submit_form(
                SubmissionFields(speaker_name=f"Speaker {i}", talk_context="A talk about Rust " * 8)
            )
    finally:
        connect.close()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=24.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        token = seed(db)
        env = {
            **os.environ,
            "CONNECT_LOG_FORMAT": "text",
            "CONNECT_AUDIT": "on",
            # NOTE: counted on every request, never refusing: the load must not be 429s.
            "CONNECT_RATE_LIMIT_PER_MINUTE": "100000000",
        }
        servers = {
            "bare falcon (baseline)": Server(
                [python(), "-m", "bench.bare_falcon", "--threads", str(args.threads)], env
            ),
            "connect (auth, limits, audit, log)": Server(
                [
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
                    str(args.threads),
                ],
                env,
            ),
        }
        headers = {"Authorization": f"Bearer {token}"}
        results: dict[str, wrk.WrkResult] = {}
        try:
            # NOTE: rounds alternate between the two servers (and flip order every
            # round) so that noise from the rest of the machine falls on both alike.
            for round in range(args.rounds):
                order = list(servers.items())
                for label, server in order if round % 2 == 0 else reversed(order):
                    got = wrk.drive(
                        server.process.pid,
                        server.host,
                        server.port,
                        "/api/v1/submissions?limit=50",
                        headers,
                        connections=args.connections,
                        seconds=args.seconds / args.rounds,
                    )
                    results[label] = results[label].merge(got) if label in results else got
        finally:
            for server in servers.values():
                server.stop()

    print(
        f"GET /api/v1/submissions?limit=50 by {wrk.generator()}, {args.connections} "
        f"connections, waitress threads={args.threads}, {args.seconds:.0f} s each, split "
        f"into {args.rounds} alternating rounds (p50/p99: the worst round's)"
    )
    for label, result in results.items():
        print(result.line(label))
    base, ours = results["bare falcon (baseline)"], results["connect (auth, limits, audit, log)"]
    print(
        f"connect/baseline: req/s {ours.rate / base.rate:.2f} (target >= 0.6), "
        f"CPU per request {base.cpu_us_per_request / ours.cpu_us_per_request:.2f} "
        f"(baseline/connect, target >= 0.6), "
        f"p99 {max(ours.p99_ms) / max(base.p99_ms):.2f}x (target <= 3)"
    )


if __name__ == "__main__":
    main()
