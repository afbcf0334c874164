"""Shared flags, opening of the configured database, and ``--json`` output."""

from __future__ import annotations

import argparse
import json
import os
from contextlib import closing
from typing import Any, TextIO

from connect.bootstrap import Connect
from connect.config import Config


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="SQLite database file (env CONNECT_DB, default connect.db)")


def config_from(args: argparse.Namespace) -> Config:
    """Environment variables, then the flags given on the command line."""
    config = Config.from_env(os.environ)
    return config.with_(
        db=getattr(args, "db", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        threads=getattr(args, "threads", None),
        worker_concurrency=getattr(args, "concurrency", None),
    )


def open_connect(args: argparse.Namespace) -> closing[Connect]:
    """The configured database's ``Connect``, closed when the ``with`` block ends."""
    return closing(Connect.open(config_from(args)))


def output(args: argparse.Namespace, out: TextIO, document: Any, text: str) -> None:
    """``document`` as one line of JSON with ``--json``, else ``text``."""
    print(json.dumps(document) if args.json else text, file=out)
