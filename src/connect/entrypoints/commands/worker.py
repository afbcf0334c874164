"""``connect worker``: the standalone delivery worker, with a graceful SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import signal
from types import FrameType
from typing import Any, TextIO

from connect.bootstrap import Connect
from connect.config import database_label
from connect.entrypoints.commands.common import add_db_flag, add_setting, config_from
from connect.entrypoints.logs import configure_logging
from connect.services.daily_purge import DailyPurge


def cmd_worker(args: argparse.Namespace, out: TextIO) -> None:
    """Deliver until SIGTERM or SIGINT: then stop claiming, give back queued claims,
    let attempts in flight finish, and exit 0."""
    config = config_from(args)
    configure_logging(config.log_format)
    connect = Connect.open(config)
    worker = connect.worker()

    def stop(signum: int, frame: FrameType | None) -> None:
        worker.stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    print(
        f"Connect worker {worker.name} delivering from {database_label(config.db)} "
        f"(concurrency {worker.concurrency}). Ctrl-C stops it.",
        file=out,
        flush=True,
    )
    purge = DailyPurge(connect.personal_data)
    purge.start()
    try:
        worker.run()
    finally:
        purge.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
        connect.close()
        print("Connect worker stopped.", file=out, flush=True)


def register(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver webhooks (standalone worker)")
    add_db_flag(worker)
    add_setting(
        worker, "--concurrency", "worker_concurrency", "attempts in flight at once", type=int
    )
    worker.set_defaults(handler=cmd_worker)
