"""The ``connect`` command: serve, migrate, keys (and more as they are registered)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from connect.config import ConfigError
from connect.domain.errors import ConnectError
from connect.domain.escaping import escape_controls
from connect.entrypoints.commands import (
    encryption,
    export,
    keys,
    listen,
    metrics,
    migrate_data,
    purge,
    serve,
    webhooks,
    worker,
)

COMMANDS = (
    serve,
    keys,
    worker,
    export,
    metrics,
    encryption,
    webhooks,
    purge,
    listen,
    migrate_data,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="connect",
        description="Connect: API keys, exports and webhooks for Rust NYC talk submissions.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; returns the exit status (1 with a message on a clear error).

    A command's handler returns its exit status, or ``None`` for 0.
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args, out or sys.stdout) or 0)
    except (ConnectError, ConfigError) as error:
        print(f"connect: error: {escape_controls(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
