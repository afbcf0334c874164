"""How many webhook requests the receivers take from raw urllib3 (no signing, no
database) in one or several processes: the ceiling a worker's rate is read against."""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import urllib3

from bench.cpu import Cpu


def fire(job: tuple[list[str], int, str, int]) -> None:
    """Post ``count`` small bodies round-robin to ``urls`` with ``threads`` threads."""
    urls, count, bundle, threads = job
    pool = urllib3.PoolManager(ca_certs=bundle, maxsize=threads, retries=False, timeout=15)
    body = b'{"event": "submission.created", "data": {"id": 1}}'
    headers = {"Content-Type": "application/json"}

    def post(i: int) -> int:
        return pool.request("POST", urls[i % len(urls)], body=body, headers=headers).status

    with ThreadPoolExecutor(threads) as executor:
        assert all(s == 200 for s in executor.map(post, range(count)))


def started(_: int) -> int:
    return os.getpid()


def ceiling(
    urls: list[str], bundle: Path, total: int, processes: int, threads: int, receiver: int
) -> tuple[float, float]:
    """Requests/s the receivers take from raw urllib3 in ``processes`` processes, and
    the receivers' CPU in cores meanwhile."""
    jobs = [(urls, total // processes, str(bundle), threads) for _ in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pool.map(started, range(processes))  # NOTE: imports done before the clock starts
        cpu = Cpu({"receivers": [receiver]}, None)
        begun = time.perf_counter()
        pool.map(fire, jobs)
        seconds = time.perf_counter() - begun
        return total // processes * processes / seconds, cpu.used()["receivers"] / seconds
