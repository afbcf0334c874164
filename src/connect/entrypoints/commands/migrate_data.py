"""``connect migrate-data --from connect.db --to postgresql://...``: move an
installation from its SQLite file to PostgreSQL (docs/data.md)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.bootstrap import migrate_data
from connect.config import database_label
from connect.entrypoints.commands.common import config_from
from connect.presentation import table


def cmd_migrate_data(args: argparse.Namespace, out: TextIO) -> None:
    config = config_from(args)
    copies = migrate_data(config, args.source, args.target, force=args.force)
    # NOTE: the label, never the URL: it may carry a password.
    print(f"Copied {args.source} into {database_label(args.target)}:", file=out)
    rows: list[dict[str, Any]] = [
        {"table": c.table, "rows": c.found, "copied": c.copied, "already there": c.found - c.copied}
        for c in copies
    ]
    print(table(["table", "rows", "copied", "already there"], rows), file=out)
    print(
        "Run every Connect process on PostgreSQL with this same CONNECT_SECRET_KEY: it opens"
        " the copied webhook secrets.",
        file=out,
    )


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "migrate-data",
        help="copy a SQLite database into an empty PostgreSQL database (stop Connect first)",
    )
    parser.add_argument(
        "--from", dest="source", required=True, metavar="FILE", help="the SQLite database file"
    )
    parser.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="URL",
        help="postgresql:// URL (keep the password in PGPASSWORD or ~/.pgpass)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="copy into a database that holds rows, skipping rows whose ids are there",
    )
    parser.set_defaults(handler=cmd_migrate_data)
