"""``connect keys create|list|revoke``."""

from __future__ import annotations

import argparse
import os
from typing import Any, TextIO

from connect.domain.escaping import escape_controls
from connect.domain.keys import parse_duration, parse_mode, parse_name, parse_scopes
from connect.entrypoints.commands.common import add_db_flag, open_connect, output
from connect.presentation import document, list_document, table
from connect.presentation.keys import IssuedKeyDocument


def cmd_create(args: argparse.Namespace, out: TextIO) -> None:
    scopes = parse_scopes(args.scope, "--scope")
    expires_in = parse_duration(args.expires_in) if args.expires_in else None
    with open_connect(args) as connect:
        issued = connect.keys.create(
            name=parse_name(args.name, "--name"),
            scopes=scopes,
            mode=parse_mode(args.mode, "--mode"),
            expires_at=connect.clock.now() + expires_in if expires_in else None,
            created_by=f"cli:{os.environ.get('USER', 'local')}",
        )
    key = issued.key
    scope_list = ", ".join(sorted(s.value for s in key.scopes))
    output(
        args,
        out,
        document(IssuedKeyDocument.issued(key, issued.token)),
        f"Created key {key.key_id} ({escape_controls(key.name)}, {key.mode.value}): {scope_list}\n"
        f"The token is shown once, now. Store it in a secret manager:\n{issued.token}",
    )


def cmd_list(args: argparse.Namespace, out: TextIO) -> None:
    with open_connect(args) as connect, connect.uow(write=False) as stores:
        keys = list(stores.keys.list(limit=1_000_000))
    listing = list_document(keys)
    rows = [{**r, "scopes": ",".join(r["scopes"])} for r in listing["data"]]
    columns = ["id", "key_id", "name", "mode", "scopes", "created_at", "last_used_at", "revoked_at"]
    output(args, out, listing, table(columns, rows))


def cmd_revoke(args: argparse.Namespace, out: TextIO) -> None:
    with open_connect(args) as connect:
        key = connect.keys.revoke(None, args.key_id)
    print(f"Revoked {key.key_id} ({escape_controls(key.name)})", file=out)


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys_command", required=True, metavar="ACTION"
    )
    create = keys.add_parser("create", help="issue a key; prints the token once")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--scope", action="append", required=True, help="a scope to grant; repeat for several"
    )
    create.add_argument("--mode", default="live", help="live (default) or test")
    create.add_argument("--expires-in", help="lifetime like 30d, 12h, 2w")
    create.add_argument("--json", action="store_true", help="print the key and token as JSON")
    add_db_flag(create)
    create.set_defaults(handler=cmd_create)

    listing = keys.add_parser("list", help="list keys (never their tokens)")
    listing.add_argument("--json", action="store_true")
    add_db_flag(listing)
    listing.set_defaults(handler=cmd_list)

    revoke = keys.add_parser("revoke", help="revoke a key now")
    revoke.add_argument("key_id", metavar="KEY_ID")
    add_db_flag(revoke)
    revoke.set_defaults(handler=cmd_revoke)
