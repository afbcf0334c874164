"""Authenticated ``GET /api/v1/submissions?limit=50`` on the real server versus a bare
Falcon resource returning the same 50 items from memory: same waitress settings, same
load generator, same run. Prints both rates, the ratio, and p50/p99 latency.

    .venv/bin/python -m bench.api_list [--seconds 5] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.load import Result, Server, measure, python
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES
from connect.domain.mode import Mode


def seed(db: Path, rows: int = 200) -> str:
    connect = Connect.open(db)
    try:
        token = connect.keys.create(
            name="bench", scopes=ALL_SCOPES, mode=Mode.LIVE, created_by="bench"
        ).token
        for i in range(rows):
            connect.submissions.submit_form(
                {"speakerName": f"Speaker {i}", "talkContext": "A talk about Rust " * 8}
            )
    finally:
        connect.close()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=9.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        token = seed(db)
        env = {**os.environ, "CONNECT_LOG_FORMAT": "text"}
        # NOTE: the per-key quota (100/min) would turn this load into 429s; the guard
        # rails' own cost is measured by bench/guard_rails.py.
        env["CONNECT_RATE_LIMIT_PER_MINUTE"] = "0"
        servers = {
            "bare falcon (baseline)": Server(
                [python(), "-m", "bench.bare_falcon", "--threads", str(args.threads)], env
            ),
            "connect (auth + sqlite)": Server(
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
        results: dict[str, Result] = {}
        try:
            # NOTE: rounds alternate between the two servers so that noise from the rest
            # of the machine falls on both alike; all rounds are pooled.
            for _ in range(args.rounds):
                for label, server in servers.items():
                    result = measure(
                        server.host,
                        server.port,
                        "/api/v1/submissions?limit=50",
                        headers,
                        concurrency=args.concurrency,
                        seconds=args.seconds / args.rounds,
                    )
                    results[label] = results[label].merge(result) if label in results else result
        finally:
            for server in servers.values():
                server.stop()

    print(
        f"GET /api/v1/submissions?limit=50, {args.concurrency} connections, "
        f"waitress threads={args.threads}, {args.seconds:.0f} s each in {args.rounds} rounds"
    )
    for label, result in results.items():
        print(result.line(label))
    base, ours = results["bare falcon (baseline)"], results["connect (auth + sqlite)"]
    print(f"ratio connect/baseline: {ours.rate / base.rate:.2f} (target >= 0.6)")


if __name__ == "__main__":
    main()
