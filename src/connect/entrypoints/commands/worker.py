"""``connect worker``."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.entrypoints.commands.common import add_db_flag, config_from
from connect.entrypoints.worker import run_worker


def cmd_worker(args: argparse.Namespace, out: TextIO) -> int:
    return run_worker(config_from(args), out=out)


def register(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver webhooks (standalone worker)")
    add_db_flag(worker)
    worker.add_argument(
        "--concurrency",
        type=int,
        help="attempts in flight at once (env CONNECT_CONCURRENCY, default 64)",
    )
    worker.set_defaults(handler=cmd_worker)
