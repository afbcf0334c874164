"""What a rate-limit check shared through PostgreSQL costs, against the in-process one.

On a throw-away cluster (``tests/postgres_cluster.py``, default durability settings),
in one run:

1. The limiter alone: threads calling ``acquire`` on ``InProcessRateLimiter`` and on
   ``PostgresRateLimiter`` (one ``connect_rate_limit`` call each), spread over many
   partitions. Prints calls/s, the wall time of one call, and the CPU per call of this
   process and of the database's processes.
2. Over HTTP (``--http``; needs the PostgreSQL stores): the same authenticated
   ``GET /api/v1/submissions?limit=50`` on ``connect serve`` processes, the per-key
   limit on (shared check) and off over one PostgreSQL database, and on (in-process)
   and off over a SQLite file, alternating rounds. Prints req/s and the CPU per request
   of the server plus the database, then the ratios.

    .venv/bin/python -m bench.pg_guard_rails [--seconds 6] [--threads 8] [--http]
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.postgres_cluster import Cluster, create_database, find_bin, with_database

from bench import wrk
from bench.load import Server, python
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.rate_limit import PostgresRateLimiter
from connect.adapters.ratelimit import InProcessRateLimiter
from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import ALL_SCOPES
from connect.domain.rate_limit import Quota
from connect.domain.requests.submissions import SubmissionFields
from connect.ports.rate_limit import RateLimiter

PATH = "/api/v1/submissions?limit=50"
# NOTE: production durability (the cluster's test defaults turn fsync off): the
# rate-limit table is UNLOGGED, so its commits should not wait for the disk anyway.
DURABLE = ("fsync=on", "synchronous_commit=on")


def database_cpu(cluster: Cluster) -> float:
    """CPU seconds used so far by the cluster's postmaster and all its children."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == postmaster or parent == postmaster:
                total += wrk.cpu_seconds(int(entry.name))
        except (OSError, ValueError):
            continue  # NOTE: a process that ended while we looked
    return total


def hammer(limiter: RateLimiter, threads: int, seconds: float) -> tuple[int, float]:
    """Threads acquiring back to back, spread over 5,000 partitions under the default
    per-key quota (100 a minute); (calls, wall seconds)."""
    quota = Quota("per-key", 100, 60)
    stop = threading.Event()
    counts = [0] * threads

    def one(index: int) -> None:
        n = 0
        while not stop.is_set():
            limiter.acquire([(quota, f"key-{(index * 7919 + n) % 5000}")])
            n += 1
        counts[index] = n

    workers = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return sum(counts), time.perf_counter() - started


def limiter_alone(cluster: Cluster, url: str, threads: int, seconds: float) -> None:
    uow = PostgresUnitOfWork(url, max_connections=threads)
    uow.migrate()
    limiters: dict[str, Callable[[], RateLimiter]] = {
        "in-process": InProcessRateLimiter,
        "PostgreSQL": lambda: PostgresRateLimiter(uow),
    }
    print(
        f"limiter alone: {threads} threads, {seconds:.0f} s each, 5,000 partitions of 100 a minute"
    )
    per_call: dict[str, float] = {}
    for label, make in limiters.items():
        limiter = make()
        hammer(limiter, threads, 0.5)  # warm: pool connections, prepared statements
        cpu, db = time.process_time(), database_cpu(cluster)
        calls, wall = hammer(limiter, threads, seconds)
        cpu, db = time.process_time() - cpu, database_cpu(cluster) - db
        per_call[label] = (cpu + db) / calls * 1e6
        print(
            f"  {label:<11} {calls / wall:9.0f} calls/s  {wall / calls * threads * 1e6:8.1f} us"
            f" per call (wall)  CPU per call: this process {cpu / calls * 1e6:6.1f} us,"
            f" database {db / calls * 1e6:6.1f} us"
        )
    ratio = per_call["PostgreSQL"] / per_call["in-process"]
    print(f"  CPU per check, PostgreSQL / in-process: {ratio:.1f}x")
    uow.close()


def serve(env: dict[str, str], threads: int) -> Server:
    argv = [python(), "-m", "connect.entrypoints.cli", "serve", "--no-worker", "--port", "0"]
    return Server([*argv, "--threads", str(threads)], env)


def make_tokens(config: Config, count: int, rows: int = 200) -> list[str]:
    """``count`` keys and ``rows`` submissions in the database of ``config``."""
    connect = Connect.open(config)
    try:
        for i in range(rows):
            connect.submissions.submit_form(
                SubmissionFields(speaker_name=f"Speaker {i}", talk_context="A talk about Rust " * 8)
            )
        return [
            connect.keys.create(name=f"bench {i}", scopes=ALL_SCOPES, created_by="bench").token
            for i in range(count)
        ]
    finally:
        connect.close()


# NOTE: each request takes the next token, so every per-key window holds what a busy
# client's would (the load spread over the keys), not the whole load in one window.
_ROTATE = """
tokens = {%s}
n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "%s", {["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1]})
end
"""


def drive(server: Server, script: Path, connections: int, seconds: float) -> wrk.WrkResult:
    """One ``wrk`` run with the rotating-token script; the server's CPU time."""
    argv = ["wrk", "--latency", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    before = wrk.cpu_seconds(server.process.pid)
    done = subprocess.run(
        [*argv, "-s", str(script), f"http://{server.host}:{server.port}{PATH}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = wrk.cpu_seconds(server.process.pid) - before
    count = re.search(r"(\d+) requests in ([\d.]+)(\w+)", done)
    if count is None:
        raise RuntimeError(f"could not read wrk's output:\n{done}")
    unit = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[count.group(3)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done)
    return wrk.WrkResult(
        int(count.group(1)), float(count.group(2)) * unit, int(bad.group(1)) if bad else 0, cpu
    )


def warm(server: Server, tokens: list[str]) -> None:
    """Use every token once: its first use costs an argon2 verification (then it is
    remembered), which is start-up, not the steady state compared here."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
    for token in tokens:
        conn.request("GET", PATH, headers={"Authorization": f"Bearer {token}"})
        conn.getresponse().read()
    conn.close()


def over_http(cluster: Cluster, url: str, args: argparse.Namespace, tmp: Path) -> None:
    if not wrk.available():
        raise SystemExit("--http needs wrk (Debian: apt-get install wrk)")
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    base = {**os.environ, "CONNECT_LOG_FORMAT": "text", "CONNECT_AUDIT": "off"}
    on = {"CONNECT_RATE_LIMIT_PER_MINUTE": "100000000"}
    off = {"CONNECT_RATE_LIMIT_PER_MINUTE": "0"}
    postgres = {**base, "CONNECT_DB": url, "CONNECT_SECRET_KEY": key}
    sqlite = {**base, "CONNECT_DB": str(tmp / "bench.db")}
    scripts = {}
    for engine, env in (("PostgreSQL", postgres), ("SQLite", sqlite)):
        tokens = make_tokens(Config.from_env(env), args.keys)
        scripts[engine] = (tmp / f"{engine}.lua", tokens)
        quoted = ", ".join(f'"{t}"' for t in tokens)
        scripts[engine][0].write_text(_ROTATE % (quoted, PATH))
    servers = {
        "PostgreSQL, limit off": (serve({**postgres, **off}, args.threads), "PostgreSQL"),
        "PostgreSQL, shared limit": (serve({**postgres, **on}, args.threads), "PostgreSQL"),
        "SQLite, limit off": (serve({**sqlite, **off}, args.threads), "SQLite"),
        "SQLite, in-process limit": (serve({**sqlite, **on}, args.threads), "SQLite"),
    }
    results: dict[str, wrk.WrkResult] = {}
    try:
        for server, engine in servers.values():
            warm(server, scripts[engine][1])
        for round in range(args.rounds):
            order = list(servers.items())
            for label, (server, engine) in order if round % 2 == 0 else reversed(order):
                db_before = database_cpu(cluster)
                got = drive(
                    server, scripts[engine][0], args.connections, args.seconds / args.rounds
                )
                if engine == "PostgreSQL":
                    got.cpu += database_cpu(cluster) - db_before
                results[label] = results[label].merge(got) if label in results else got
    finally:
        for server, _ in servers.values():
            server.stop()
    print(
        f"\nGET {PATH} by wrk with {args.keys} keys in turn, {args.connections} connections,"
        f" waitress threads={args.threads}, {args.seconds:.0f} s each, split into"
        f" {args.rounds} rounds;"
        " CPU is the server's plus, on PostgreSQL, the database's"
    )
    for label, result in results.items():
        print(
            f"  {label:<26} {result.rate:8.1f} req/s  CPU {result.cpu_us_per_request:6.0f} us/req"
            f"  ({result.requests} requests, {result.bad} not 2xx)"
        )
    for engine, limited in (("PostgreSQL", "shared limit"), ("SQLite", "in-process limit")):
        with_limit, without = results[f"{engine}, {limited}"], results[f"{engine}, limit off"]
        extra = with_limit.cpu_us_per_request - without.cpu_us_per_request
        print(
            f"  {engine}, {limited} / off: throughput {with_limit.rate / without.rate:.3f},"
            f" CPU per request {with_limit.cpu_us_per_request / without.cpu_us_per_request:.3f}"
            f" ({extra:+.0f} us)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--http", action="store_true", help="also measure over HTTP")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keys", type=int, default=100, help="keys the HTTP load rotates")
    args = parser.parse_args()
    bin_dir = find_bin()
    if bin_dir is None:
        raise SystemExit("needs PostgreSQL's programs (Debian: apt-get install postgresql)")
    with Cluster(bin_dir, DURABLE) as cluster:
        create_database(cluster.url, "bench")
        url = with_database(cluster.url, "bench")
        limiter_alone(cluster, url, args.threads, args.seconds)
        if args.http:
            with tempfile.TemporaryDirectory() as tmp:
                over_http(cluster, url, args, Path(tmp))


if __name__ == "__main__":
    main()
