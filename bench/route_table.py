"""What the route table costs: the authenticated list served by the code before the
route table (``--before``, by default the commit it replaced) and by this tree, same
seeded data, same waitress settings, alternating rounds in one run, driven by ``wrk``.

    .venv/bin/python -m bench.route_table [--before REV] [--after REV] [--seconds 12]

``--after`` defaults to this working tree; naming a commit measures one change alone
(e.g. ``--after 1804e12``: the route table before the other issue-9 branches merged).

The issue's bound: the route-table middleware costs at most 3 % of throughput.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import wrk
from bench.load import Server, python

# The last commit before the route table (its middleware read attributes off each
# resource and each service checked its own scope).
BEFORE = "51ee293"
PATH = "/api/v1/submissions?limit=50"
SEED = """
import sys
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES
connect = Connect.open(sys.argv[1])
token = connect.keys.create(name="bench", scopes=ALL_SCOPES, created_by="bench").token
try:  # request shapes (issue 12); older trees take the form's JSON members
    from connect.domain.requests.submissions import SubmissionFields as form
except ImportError:
    def form(speaker_name, talk_context):
        return {"speakerName": speaker_name, "talkContext": talk_context}
for i in range(200):
    connect.submissions.submit_form(form(f"Speaker {i}", "A talk about Rust " * 8))
connect.close()
print(token)
"""


def tree_of(rev: str, into: Path) -> Path:
    """The ``src`` folder of ``rev``, unpacked into ``into``."""
    archive = subprocess.run(["git", "archive", rev, "src"], capture_output=True, check=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


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
        before = tree_of(args.before, Path(tmp) / "before")
        after = tree_of(args.after, Path(tmp) / "after") if args.after else here
        servers: dict[str, tuple[Server, str]] = {}
        try:
            for label, src in (
                (f"before ({args.before})", before),
                (f"after ({args.after or 'this tree'})", after),
            ):
                env = {
                    **os.environ,
                    "PYTHONPATH": str(src),
                    "CONNECT_LOG_FORMAT": "text",
                    # NOTE: the per-key quota would turn this load into 429s.
                    "CONNECT_RATE_LIMIT_PER_MINUTE": "0",
                }
                db = Path(tmp) / f"{len(servers)}.db"
                seeded = subprocess.run(
                    [python(), "-c", SEED, str(db)], env=env, capture_output=True, text=True
                )
                token = seeded.stdout.strip().splitlines()[-1]
                argv = [python(), "-m", "connect.entrypoints.cli", "serve", "--no-worker"]
                argv += ["--port", "0", "--db", str(db), "--threads", str(args.threads)]
                servers[label] = (Server(argv, env), token)
            results: dict[str, wrk.WrkResult] = {}
            for _ in range(args.rounds):
                for label, (server, token) in servers.items():
                    got = wrk.run(
                        server.process.pid,
                        f"http://{server.host}:{server.port}{PATH}",
                        {"Authorization": f"Bearer {token}"},
                        connections=args.connections,
                        seconds=args.seconds / args.rounds,
                    )
                    results[label] = results[label].merge(got) if label in results else got
        finally:
            for server, _ in servers.values():
                server.stop()

    print(
        f"GET {PATH}, wrk {args.connections} connections, waitress threads={args.threads}, "
        f"{args.seconds:.0f} s each, split into {args.rounds} alternating rounds "
        "(p50/p99: worst round)"
    )
    for label, result in results.items():
        print(result.line(label))
    old, new = results.values()
    print(
        f"after / before: throughput {new.rate / old.rate:.3f}, "
        f"CPU per request {new.cpu_us_per_request / old.cpu_us_per_request:.3f} "
        "(bound: throughput >= 0.97)"
    )


if __name__ == "__main__":
    main()
