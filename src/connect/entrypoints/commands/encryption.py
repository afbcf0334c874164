"""``connect rotate-encryption-key``: re-seal every stored webhook secret under a new key
(how, and why a crash at any step loses no secret: ``bootstrap.rotate_encryption_key``)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.bootstrap import rotate_encryption_key
from connect.config import database_label
from connect.entrypoints.commands.common import add_db_flag, config_from


def cmd_rotate(args: argparse.Namespace, out: TextIO) -> None:
    config = config_from(args)
    count, new_key = rotate_encryption_key(config)
    print(
        f"{database_label(config.db)}: re-encrypted {count} webhook secrets under key {new_key}",
        file=out,
    )
    if config.secret_key_new is not None:
        print(
            "Now make CONNECT_SECRET_KEY the value of CONNECT_SECRET_KEY_NEW, unset "
            "CONNECT_SECRET_KEY_NEW, and restart Connect.",
            file=out,
        )


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "rotate-encryption-key",
        help="re-encrypt every stored webhook secret under a new key (stop Connect first)",
    )
    add_db_flag(parser)
    parser.set_defaults(handler=cmd_rotate)
