"""CPU seconds of groups of processes, read from /proc: what a benchmark's parts cost,
PostgreSQL's server processes included."""

from __future__ import annotations

import os
from pathlib import Path

from bench import wrk


def children_cpu(parent: int) -> dict[int, float]:
    """CPU seconds so far of ``parent`` and its direct children, by pid."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if pid == parent or int(fields[1]) == parent:
            found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


class Cpu:
    """CPU seconds used by groups of processes (and PostgreSQL's) since it was made."""

    def __init__(self, pids: dict[str, list[int]], postmaster: int | None) -> None:
        self.pids, self.postmaster = pids, postmaster
        self.before, self.pg_before = self._groups(), self._postgres()

    def _groups(self) -> dict[str, float]:
        return {name: sum(wrk.cpu_seconds(p) for p in pids) for name, pids in self.pids.items()}

    def _postgres(self) -> dict[int, float]:
        return children_cpu(self.postmaster) if self.postmaster is not None else {}

    def used(self) -> dict[str, float]:
        after, pg_after = self._groups(), self._postgres()
        spent = {name: after[name] - self.before[name] for name in self.pids}
        if self.postmaster is not None:
            # NOTE: a backend that started meanwhile counts from zero.
            spent["postgres"] = sum(t - self.pg_before.get(p, 0.0) for p, t in pg_after.items())
        return spent


def postmaster_pid(data: Path) -> int:
    """The pid of the PostgreSQL server whose data directory is ``data``."""
    return int((data / "postmaster.pid").read_text().split()[0])
