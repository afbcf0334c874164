"""Benchmark: the CSV export through the real server against a plain sqlite3 + csv loop.

    .venv/bin/python bench/exports.py [--sizes 10000,100000] [--runs 3]

Seeds a SQLite file straight into ``talk_submissions_3``, starts ``connect serve
--no-worker --port 0`` as a subprocess on it, downloads ``/api/v1/exports/submissions.csv``
over loopback, and times a plain ``sqlite3`` query + ``csv.writer`` loop over the same file
in the same run. Prints rows/s for both, the ratio, and the server's resident memory
(VmRSS, and the peak VmHWM) after each size. Targets: ratio <= 2x; peak RSS growth from
the first size to the last under 30 MB.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import urllib3

from connect.bootstrap import Connect
from connect.config import Config
from connect.domain.keys import Scope

WORDS = [
    "borrow",
    "checker",
    "lifetimes",
    "async",
    "tokio",
    "traits",
    "generics",
    "macros",
    "unsafe",
    "embedded",
    "wasm",
    "serde",
    "axum",
    '"zero-cost"',
    "abstractions,",
    "iterators",
    "closures",
    "ownership\nmemory",
    "safety",
]


def seed(path: Path, start: int, count: int, rng: random.Random) -> None:
    """Append ``count`` live submissions with realistic text (quotes, commas, newlines)."""
    rows = []
    for i in range(start, start + count):
        context = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
        created = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
        scheduled = f"2026-{1 + i % 12:02d}-15" if i % 50 == 0 else None
        rows.append(
            (
                f"Speaker {i}",
                context,
                i % 3 == 0,
                f"Friend of {i}" if i % 3 == 0 else None,
                f"{10**17 + i}" if i % 4 == 0 else None,
                created,
                "scheduled" if scheduled else "pending",
                scheduled,
                created,
            )
        )
    with sqlite3.connect(path) as db:
        db.executemany(
            """INSERT INTO talk_submissions_3 (speaker_name, talk_context, is_on_behalf,
                submitter_name, discord_channel_id, created_at, status, scheduled_date,
                updated_at, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'live')""",
            rows,
        )


def raw_loop(path: Path) -> tuple[float, int, float]:
    """The baseline: one query, one csv.writer, no objects in between."""
    cpu = time.process_time()
    started = time.perf_counter()
    rows = 0
    with sqlite3.connect(path) as db, open(os.devnull, "w", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\r\n")
        writer.writerow(
            [
                "id",
                "speaker_name",
                "talk_context",
                "is_on_behalf",
                "submitter_name",
                "discord_channel_id",
                "created_at",
                "scheduled_date",
            ]
        )
        cursor = db.execute(
            """SELECT id, speaker_name, talk_context, is_on_behalf, submitter_name,
                discord_channel_id, created_at, scheduled_date
            FROM talk_submissions_3 WHERE mode = 'live' ORDER BY id"""
        )
        for row in cursor:
            writer.writerow(row)
            rows += 1
    return time.perf_counter() - started, rows, time.process_time() - cpu


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def download(http: urllib3.PoolManager, url: str, token: str, pid: int) -> tuple[float, int, float]:
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    response = http.request(
        "GET", url, headers={"Authorization": f"Bearer {token}"}, preload_content=False
    )
    assert response.status == 200, response.status
    size = 0
    for chunk in response.stream(256 * 1024):
        size += len(chunk)
    response.release_conn()
    elapsed = time.perf_counter() - started
    return elapsed, size, cpu_seconds(pid) - cpu


def memory_kb(pid: int) -> dict[str, int]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v) for k, v in re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", text, re.M)}


def start_server(path: Path, threads: int) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECT_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "connect.entrypoints.cli",
            "serve",
            "--no-worker",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(path),
            "--threads",
            str(threads),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise RuntimeError("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="server threads (1: every export runs on one thread, so RSS shows what an "
        "export costs rather than how many threads have run one)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        connect = Connect.open(Config(db=str(path)))
        token = connect.keys.create(name="bench", scopes=frozenset(Scope), created_by="bench").token
        connect.close()
        process, base = start_server(path, args.threads)
        http = urllib3.PoolManager(timeout=urllib3.Timeout(total=600), retries=False)
        seeded = 0
        first_peak: int | None = None
        first_rss: int | None = None
        url = base + "/api/v1/exports/submissions.csv"
        print(
            f"{'rows':>8} {'server rows/s':>14} {'raw rows/s':>11} {'ratio':>6} "
            f"{'cpu ratio':>9} {'MB':>6} {'VmRSS MB':>9} {'VmHWM MB':>9}"
        )
        try:
            for size in sizes:
                seed(path, seeded, size - seeded, rng)
                seeded = size
                download(http, url, token, process.pid)  # warm up: key cache, page cache
                served = min(download(http, url, token, process.pid) for _ in range(args.runs))
                raw = min(raw_loop(path) for _ in range(args.runs))
                assert raw[1] == size, raw
                memory = memory_kb(process.pid)
                first_peak = first_peak if first_peak is not None else memory["VmHWM"]
                first_rss = first_rss if first_rss is not None else memory["VmRSS"]
                print(
                    f"{size:>8} {size / served[0]:>14,.0f} {size / raw[0]:>11,.0f} "
                    f"{served[0] / raw[0]:>5.2f}x {served[2] / raw[2]:>8.2f}x "
                    f"{served[1] / 1e6:>6.1f} {memory['VmRSS'] / 1024:>9.1f} "
                    f"{memory['VmHWM'] / 1024:>9.1f}"
                )
            assert first_peak is not None and first_rss is not None
            last = memory_kb(process.pid)
            print(
                f"growth {sizes[0]:,} -> {sizes[-1]:,} rows: VmHWM "
                f"{(last['VmHWM'] - first_peak) / 1024:+.1f} MB, VmRSS "
                f"{(last['VmRSS'] - first_rss) / 1024:+.1f} MB (target < 30 MB)"
            )
            print(
                "ratio = server wall time / raw loop wall time (target <= 2.00x); "
                "cpu ratio = server CPU / raw loop CPU (steadier on a busy machine)"
            )
        finally:
            http.clear()
            process.terminate()
            process.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
