"""Drive a server with ``wrk`` (Debian's package: ``apt-get install wrk``), a C load
generator, and read the server's CPU time from ``/proc`` around the run.

A Python load generator shares the two cores with the server and compresses the gap
between two servers; ``wrk`` costs a fraction of that. CPU per request, from the
server's own ``utime + stime``, is far less sensitive to a noisy machine than req/s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def available() -> bool:
    return shutil.which("wrk") is not None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds used so far by process ``pid`` (all its threads)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


@dataclass
class WrkResult:
    requests: int = 0
    seconds: float = 0.0
    bad: int = 0
    cpu: float = 0.0
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_us_per_request(self) -> float:
        return self.cpu / self.requests * 1e6 if self.requests else float("nan")

    def merge(self, other: WrkResult) -> WrkResult:
        return WrkResult(
            self.requests + other.requests,
            self.seconds + other.seconds,
            self.bad + other.bad,
            self.cpu + other.cpu,
            self.p50_ms + other.p50_ms,
            self.p99_ms + other.p99_ms,
        )

    def line(self, label: str) -> str:
        p50 = max(self.p50_ms, default=float("nan"))
        p99 = max(self.p99_ms, default=float("nan"))
        return (
            f"{label:<34} {self.rate:8.1f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
            f"server CPU {self.cpu_us_per_request:6.0f} us/req  ({self.requests} requests, "
            f"{self.bad} not 2xx)"
        )


def run(
    pid: int,
    url: str,
    headers: Mapping[str, str] | None = None,
    *,
    connections: int = 16,
    seconds: float = 5.0,
    threads: int = 1,
    script: Path | None = None,
) -> WrkResult:
    """One ``wrk`` run against ``url``, with the server process ``pid``'s CPU time
    (``script``: a wrk Lua script, e.g. one that sets a POST body)."""
    argv = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    if script is not None:
        argv += ["-s", str(script)]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    before = cpu_seconds(pid)
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - before
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if done is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    elapsed = float(done.group(2)) * _UNITS[done.group(3)] / 1000
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        requests=int(done.group(1)),
        seconds=elapsed,
        bad=int(bad.group(1)) if bad else 0,
        cpu=cpu,
        p50_ms=[_percentile(out, "50")],
        p99_ms=[_percentile(out, "99")],
    )


def _percentile(out: str, p: str) -> float:
    found = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    return float(found.group(1)) * _UNITS[found.group(2)] if found else float("nan")


def generator() -> str:
    """Which load generator ``drive`` uses here."""
    return "wrk" if available() else "python (bench/load.py; apt-get install wrk for wrk)"


def drive(
    pid: int,
    host: str,
    port: int,
    path: str,
    headers: Mapping[str, str] | None = None,
    *,
    connections: int = 16,
    seconds: float = 5.0,
) -> WrkResult:
    """Load ``path`` for ``seconds`` with ``wrk`` when it is installed, else with the
    Python generator of ``bench/load.py``; either way with the server's CPU time."""
    warm(host, port, path, headers)
    if available():
        return run(
            pid, f"http://{host}:{port}{path}", headers, connections=connections, seconds=seconds
        )
    from bench.load import measure

    before = cpu_seconds(pid)
    # NOTE: no warm-up second here: the CPU figure must cover exactly the counted requests.
    got = measure(host, port, path, headers, concurrency=connections, seconds=seconds, warmup=0)
    return WrkResult(
        requests=got.requests,
        seconds=got.seconds,
        bad=got.errors,
        cpu=cpu_seconds(pid) - before,
        p50_ms=[got.percentile(50)],
        p99_ms=[got.percentile(99)],
    )


_WARMED: set[tuple[str, int, str]] = set()


def warm(host: str, port: int, path: str, headers: Mapping[str, str] | None = None) -> None:
    """One request per server and path before the first measured run: the first use of a
    token costs an argon2 verification (then it is remembered), which is start-up, not
    the steady state a benchmark compares."""
    if (host, port, path) in _WARMED:
        return
    import http.client

    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path, headers=dict(headers or {}))
    conn.getresponse().read()
    conn.close()
    _WARMED.add((host, port, path))
