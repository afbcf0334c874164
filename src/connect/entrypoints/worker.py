"""``connect worker``: the standalone delivery worker, with a graceful SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import TextIO

from connect.bootstrap import Connect, DeliveryWorker
from connect.config import Config, database_label
from connect.services.daily_purge import DailyPurge


def start_embedded(connect: Connect) -> tuple[DeliveryWorker, threading.Thread]:
    """Run a worker in a background thread of this process (``connect serve``), and
    the daily purge beside it (it ends when the worker does)."""
    worker = connect.worker()
    thread = threading.Thread(target=worker.run, name="connect-worker", daemon=True)
    thread.start()
    DailyPurge(connect.personal_data, companion=thread).start()
    return worker, thread


def run_worker(config: Config, *, out: TextIO = sys.stdout) -> int:
    """Deliver until SIGTERM or SIGINT: then stop claiming, give back queued claims,
    let attempts in flight finish, and return 0."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    connect = Connect.open(config)
    worker = connect.worker()

    def stop(signum: int, frame: FrameType | None) -> None:
        worker.stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    print(
        f"Connect worker {worker.name} delivering from {database_label(config.db)} "
        f"(concurrency {worker.concurrency}). Ctrl-C stops it.",
        file=out,
    )
    out.flush()
    purge = DailyPurge(connect.personal_data)
    purge.start()
    try:
        worker.run()
    finally:
        purge.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
        connect.close()
        print("Connect worker stopped.", file=out)
        out.flush()
    return 0
