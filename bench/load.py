"""A small closed-loop load generator and helpers to run servers as subprocesses.

Every benchmark compares two things measured by this same generator in the same run,
so the machine's noise and the generator's own cost cancel out in the ratio.
"""

from __future__ import annotations

import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def merge(self, other: Result) -> Result:
        return Result(
            self.requests + other.requests,
            self.errors + other.errors,
            self.seconds + other.seconds,
            self.latencies_ms + other.latencies_ms,
        )

    def line(self, label: str) -> str:
        return (
            f"{label:<28} {self.rate:9.1f} req/s  p50 {self.percentile(50):7.2f} ms  "
            f"p99 {self.percentile(99):7.2f} ms  ({self.requests} ok, {self.errors} errors)"
        )


def measure(
    host: str,
    port: int,
    path: str,
    headers: Mapping[str, str] | None = None,
    *,
    concurrency: int = 16,
    seconds: float = 5.0,
    warmup: float = 1.0,
    expect: int = 200,
) -> Result:
    """``concurrency`` keep-alive connections, each sending requests back to back."""
    stop = threading.Event()
    recording = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine: list[float] = []
        ok = errors = 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=dict(headers or {}))
                response = conn.getresponse()
                response.read()
                good = response.status == expect
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                good = False
            if recording.is_set():
                if good:
                    ok += 1
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += ok
            counts["errors"] += errors

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    recording.set()
    started = time.perf_counter()
    time.sleep(seconds)
    recording.clear()
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=35)
    return Result(counts["ok"], counts["errors"], elapsed, latencies)


_LISTENING = re.compile(r"listening on http://([\d.]+):(\d+)", re.IGNORECASE)


class Server:
    """A server subprocess that prints ``... listening on http://HOST:PORT ...``."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            list(argv),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=dict(env) if env is not None else None,
        )
        self.lines: list[str] = []
        deadline = time.monotonic() + 30
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"server exited early: {' '.join(argv)}\n{''.join(self.lines)}")
            self.lines.append(line)
            found = _LISTENING.search(line)
            if found:
                self.host, self.port = found.group(1), int(found.group(2))
                return
        raise RuntimeError("server did not start in 30 s")

    def rss_mb(self) -> tuple[float, float]:
        """(current RSS, peak RSS) in MB, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def python() -> str:
    return sys.executable


def summary(values: Sequence[float]) -> str:
    return f"median {statistics.median(values):.3f} (runs: {', '.join(f'{v:.3f}' for v in values)})"
