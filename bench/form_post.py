"""What structuring request bodies costs: ``POST /api/submissions`` (the speakers'
form, through ``connect.adapters.http.structure``) served by the code before request
shapes (``--before``) and by this tree, same waitress settings, fresh databases,
alternating rounds in one run, driven by ``wrk``.

    .venv/bin/python -m bench.form_post [--before REV] [--after REV] [--seconds 12]

The issue's bound: cattrs structuring costs at most 5 % of throughput.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from bench import wrk
from bench.load import Server, python
from bench.route_table import tree_of

# The last commit before request shapes (issue 12's i12-requests branch).
BEFORE = "953376c"
PATH = "/api/submissions"
BODY = {"speakerName": "Ferris", "talkContext": "A talk about Rust " * 8, "isOnBehalf": False}
SCRIPT = f"""
wrk.method = "POST"
wrk.body = {json.dumps(json.dumps(BODY))}
wrk.headers["Content-Type"] = "application/json"
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--after", default=None, help="a commit (default: this tree)")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if not wrk.available():
        sys.exit("wrk is not installed: apt-get install wrk")

    here = Path(__file__).resolve().parent.parent / "src"
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(SCRIPT)
        before = tree_of(args.before, Path(tmp) / "before")
        after = tree_of(args.after, Path(tmp) / "after") if args.after else here
        servers: dict[str, Server] = {}
        try:
            for label, src in (
                (f"before ({args.before})", before),
                (f"after ({args.after or 'this tree'})", after),
            ):
                env = {
                    **os.environ,
                    "PYTHONPATH": str(src),
                    "CONNECT_LOG_FORMAT": "text",
                    # NOTE: the per-address form limit would turn this load into 429s.
                    "CONNECT_FORM_LIMIT": "0",
                }
                db = Path(tmp) / f"{len(servers)}.db"
                argv = [python(), "-m", "connect.entrypoints.cli", "serve", "--no-worker"]
                argv += ["--port", "0", "--db", str(db), "--threads", str(args.threads)]
                servers[label] = Server(argv, env)
            results: dict[str, wrk.WrkResult] = {}
            for round in range(args.rounds):
                order = list(servers.items())
                for label, server in order if round % 2 == 0 else reversed(order):
                    got = wrk.run(
                        server.process.pid,
                        f"http://{server.host}:{server.port}{PATH}",
                        connections=args.connections,
                        seconds=args.seconds / args.rounds,
                        script=script,
                    )
                    results[label] = results[label].merge(got) if label in results else got
        finally:
            for server in servers.values():
                server.stop()

    print(
        f"POST {PATH}, wrk {args.connections} connections, waitress threads={args.threads}, "
        f"{args.seconds:.0f} s each, split into {args.rounds} alternating rounds "
        "(p50/p99: worst round)"
    )
    for label, result in results.items():
        print(result.line(label))
    old, new = results.values()
    print(
        f"after / before: throughput {new.rate / old.rate:.3f}, "
        f"CPU per request {new.cpu_us_per_request / old.cpu_us_per_request:.3f} "
        "(bound: throughput >= 0.95)"
    )


if __name__ == "__main__":
    main()
