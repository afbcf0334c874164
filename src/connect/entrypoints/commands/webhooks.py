"""``connect webhooks recover ID --since ... [--until ...]``: after an outage, queue
again every given-up delivery to one webhook, on the local database."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.domain.pagination import MAX_ID
from connect.domain.recovery import MAX_AGE
from connect.domain.requests.webhooks import RecoveryRequest
from connect.entrypoints.commands.common import add_db_flag, open_connect, output
from connect.presentation import document


def cmd_recover(args: argparse.Namespace, out: TextIO) -> None:
    request = RecoveryRequest(since=args.since, until=args.until)
    with open_connect(args) as connect:
        recovery = connect.webhooks.recover(None, args.id, request)
        # NOTE: a worker in another process finds them at its next poll; one in this
        # process (none here) would be woken by the outbox.
    rendered = document(recovery)
    output(
        args,
        out,
        rendered,
        f"Queued {rendered['recovered']} failed deliveries of webhook {rendered['webhook_id']} "
        f"again (events from {rendered['since']} to {rendered['until']}).",
    )


def _webhook_id(text: str) -> int:
    if not text.isdecimal() or not 1 <= int(text) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"not a webhook id: {text!r}")
    return int(text)


def register(commands: Any) -> None:
    parser = commands.add_parser("webhooks", help="operate webhooks (recover)")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    recover = actions.add_parser(
        "recover",
        help="queue again every given-up delivery of a webhook since a time",
        description="Re-queues, once each and with its event id, every delivery to the "
        "webhook that was given up (status failed) and whose event happened from --since "
        f"to --until (both included; at most {MAX_AGE.days} days back). The webhook must be "
        "active.",
    )
    recover.add_argument("id", type=_webhook_id, help="the webhook id")
    recover.add_argument(
        "--since", help=f"ISO 8601 date or datetime, at most {MAX_AGE.days} days ago (required)"
    )
    recover.add_argument("--until", help="ISO 8601 date or datetime (default: now)")
    recover.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_flag(recover)
    recover.set_defaults(handler=cmd_recover)
