"""Shared flags, opening of the configured database, and ``--json`` output."""

from __future__ import annotations

import argparse
import json
import os
from contextlib import closing
from typing import Any, TextIO

from attrs import fields_dict

from connect.bootstrap import Connect
from connect.config import Config


def add_setting(
    parser: argparse.ArgumentParser, flag: str, setting: str, help: str, **options: Any
) -> None:
    """A flag that overrides the ``Config`` attribute ``setting``; its help names the
    setting's variable and default, read from ``Config``."""
    attribute = fields_dict(Config)[setting]
    variable, default = attribute.metadata["variable"], attribute.default
    parser.add_argument(
        flag,
        dest=setting,
        metavar=flag.lstrip("-").upper(),
        help=f"{help} (env {variable}, default {default})",
        **options,
    )


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    add_setting(parser, "--db", "db", "SQLite database file")


def config_from(args: argparse.Namespace) -> Config:
    """Environment variables, then the flags given on the command line (a flag's
    ``dest`` is the name of the setting it overrides, see ``add_setting``)."""
    flags = {name: getattr(args, name, None) for name in fields_dict(Config)}
    return Config.from_env(os.environ).with_(**flags)


def open_connect(args: argparse.Namespace) -> closing[Connect]:
    """The configured database's ``Connect``, closed when the ``with`` block ends."""
    return closing(Connect.open(config_from(args)))


def output(args: argparse.Namespace, out: TextIO, document: Any, text: str) -> None:
    """``document`` as one line of JSON with ``--json``, else ``text``."""
    print(json.dumps(document) if args.json else text, file=out)
