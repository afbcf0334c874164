"""How long ``connect serve`` takes to answer, on an empty and on an existing database,
next to the bare interpreter importing falcon and waitress (the floor) in the same run.

    .venv/bin/python -m bench.startup [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.load import Server, python


def time_serve(db: Path) -> float:
    started = time.perf_counter()
    server = Server(
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
        ]
    )
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed


def time_floor() -> float:
    started = time.perf_counter()
    subprocess.run([python(), "-c", "import falcon, waitress"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    empty, existing, floor = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            db = Path(tmp) / f"run{run}.db"
            empty.append(time_serve(db))
            existing.append(time_serve(db))
            floor.append(time_floor())
    for label, values in (
        ("python -c 'import falcon, waitress'", floor),
        ("connect serve, empty database", empty),
        ("connect serve, existing database", existing),
    ):
        print(f"{label:<38} median {statistics.median(values):.3f} s  max {max(values):.3f} s")
    print(
        f"ratio serve(empty)/floor: {statistics.median(empty) / statistics.median(floor):.1f}x"
        " (target: serve answers in under 2 s)"
    )


if __name__ == "__main__":
    main()
