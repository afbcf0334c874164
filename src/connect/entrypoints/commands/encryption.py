"""``connect rotate-encryption-key``: re-seal every stored webhook secret under a new key.

With the key file (no ``CONNECT_SECRET_KEY``): a new key is generated and written to
the file *beside* the old ones, every secret is re-sealed in one transaction, and only
then are the old keys dropped from the file. With ``CONNECT_SECRET_KEY``: the new key
comes from ``CONNECT_SECRET_KEY_NEW``; afterwards the operator makes it
``CONNECT_SECRET_KEY``. A crash at any step leaves every secret readable with the keys
configured at that moment.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.adapters.crypto import KeyRing, generate_key, key_id, write_key_file
from connect.bootstrap import keyring, storage
from connect.config import ConfigError, database_label
from connect.entrypoints.commands.common import add_db_flag, config_from


def cmd_rotate(args: argparse.Namespace, out: TextIO) -> int:
    config = config_from(args)
    ring = keyring(config)
    if config.secret_key_new is not None:
        new, rewrite = config.secret_key_new, False
    elif config.secret_key is not None:
        raise ConfigError(
            "CONNECT_SECRET_KEY is set: put the new key in CONNECT_SECRET_KEY_NEW and run "
            "rotate-encryption-key again (Connect cannot change your environment)"
        )
    elif ring.key_file is None:
        raise ConfigError(
            f"{database_label(config.db)} is not a database file; there is nothing to rotate"
        )
    else:
        new, rewrite = generate_key(), True
        # NOTE: the new key is on disk, beside the old ones, before any row uses it.
        write_key_file(ring.key_file, (new, *ring.keys))
        ring = KeyRing((new, *ring.keys), ring.source, ring.key_file)
    uow = storage(config, ring)
    try:
        uow.migrate()
        count = uow.reseal_secrets()
    finally:
        uow.close()
    if rewrite and ring.key_file is not None:
        write_key_file(ring.key_file, (new,))
    print(
        f"{database_label(config.db)}: re-encrypted {count} webhook secrets"
        f" under key {key_id(new)}",
        file=out,
    )
    if not rewrite:
        print(
            "Now make CONNECT_SECRET_KEY the value of CONNECT_SECRET_KEY_NEW, unset "
            "CONNECT_SECRET_KEY_NEW, and restart Connect.",
            file=out,
        )
    return 0


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "rotate-encryption-key",
        help="re-encrypt every stored webhook secret under a new key (stop Connect first)",
    )
    add_db_flag(parser)
    parser.set_defaults(handler=cmd_rotate)
