"""``connect serve`` and ``connect migrate``."""

from __future__ import annotations

import argparse
from contextlib import closing
from typing import Any, TextIO

from connect.bootstrap import storage
from connect.config import database_label
from connect.entrypoints import serve as serving
from connect.entrypoints.commands.common import add_db_flag, add_setting, config_from


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    return serving.serve(config_from(args), out=out, worker=not args.no_worker)


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> None:
    config = config_from(args)
    with closing(storage(config)) as uow:
        applied = uow.migrate()
    where = database_label(config.db)
    if applied:
        print(f"{where}: applied migrations {', '.join(map(str, applied))}", file=out)
    else:
        print(f"{where}: schema is up to date", file=out)


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the HTTP API (and the delivery worker)")
    add_setting(serve, "--host", "host", "listen address")
    add_setting(serve, "--port", "port", "port, 0 for any free one", type=int)
    add_db_flag(serve)
    add_setting(serve, "--threads", "threads", "request threads", type=int)
    serve.add_argument(
        "--no-worker", action="store_true", help="do not deliver webhooks in this process"
    )
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    add_db_flag(migrate)
    migrate.set_defaults(handler=cmd_migrate)
