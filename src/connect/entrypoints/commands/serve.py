"""``connect serve`` and ``connect migrate``."""

from __future__ import annotations

import argparse
from contextlib import closing
from typing import Any, TextIO

from connect.bootstrap import storage
from connect.config import database_label
from connect.entrypoints import serve as serving
from connect.entrypoints.commands.common import add_db_flag, config_from


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    return serving.serve(config_from(args), out=out, worker=not args.no_worker)


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> None:
    config = config_from(args)
    with closing(storage(config)) as uow:
        applied = uow.migrate()
    if applied:
        print(
            f"{database_label(config.db)}: applied migrations {', '.join(map(str, applied))}",
            file=out,
        )
    else:
        print(f"{database_label(config.db)}: schema is up to date", file=out)


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the HTTP API (and the delivery worker)")
    serve.add_argument("--host", help="listen address (env CONNECT_HOST, default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, help="port, 0 for any free one (env CONNECT_PORT, default 8080)"
    )
    add_db_flag(serve)
    serve.add_argument(
        "--threads", type=int, help="request threads (env CONNECT_THREADS, default 8)"
    )
    serve.add_argument(
        "--no-worker", action="store_true", help="do not deliver webhooks in this process"
    )
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    add_db_flag(migrate)
    migrate.set_defaults(handler=cmd_migrate)
