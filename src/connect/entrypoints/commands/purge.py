"""``connect purge [--dry-run] [--db]``: remove personal data past retention now."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.entrypoints.commands.common import add_db_flag, open_connect
from connect.presentation import table

_KINDS = (
    ("events", "feed events"),
    ("deliveries", "finished deliveries (with their attempts)"),
    ("snippets", "response snippets of older attempts"),
    ("audit_entries", "audit log entries"),
)


def cmd_purge(args: argparse.Namespace, out: TextIO) -> None:
    """Purge (or count, with ``--dry-run``) and print what is stored and what goes."""
    with open_connect(args) as connect:
        report = connect.personal_data.purge(dry_run=args.dry_run)
    verb = "would remove" if report.dry_run else "removed"
    rows: list[dict[str, Any]] = [
        {
            "what": label,
            "stored": getattr(report.before, kind),
            verb: getattr(report.purged, kind),
        }
        for kind, label in _KINDS
    ]
    print(f"Retention: older than {report.cutoff.isoformat()} ({verb}).", file=out)
    print(table(["what", "stored", verb], rows), file=out)
    if report.before.bytes is not None and report.after.bytes is not None:
        print(f"Size in use: {report.before.bytes} -> {report.after.bytes} bytes", file=out)


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "purge", help="remove payloads, snippets, events and audit entries past retention"
    )
    parser.add_argument("--dry-run", action="store_true", help="only print what would be removed")
    add_db_flag(parser)
    parser.set_defaults(handler=cmd_purge)
