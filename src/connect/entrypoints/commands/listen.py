"""``connect listen --forward-to URL``: test webhooks on a laptop, like ``stripe listen``.

It follows a Connect service's event feed with an API key and forwards each new event
to a local receiver, signed with a secret it prints (or the one given), with the same
body and headers the delivery worker sends. It needs no database and no public URL.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from datetime import UTC, datetime
from typing import Any, Final, TextIO
from urllib.parse import urlsplit

import urllib3

from connect.config import Config
from connect.domain.errors import RateLimited, ValidationFailed
from connect.domain.feed import parse_types
from connect.domain.keys import PREFIXES
from connect.domain.listening import FeedUnavailable, Position, event_summary, forward_line
from connect.domain.mode import Mode
from connect.domain.signing import generate_secret, secret_key
from connect.entrypoints.listen_client import FeedClient, Forwarder

#: Where ``connect serve`` listens by default.
DEFAULT_API: Final = f"http://{Config().host}:{Config().port}"
FEED_TIMEOUT: Final = 30.0
FORWARD_TIMEOUT: Final = 10.0


def _http_url(flag: str, text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed.single(flag, f"must be an http:// or https:// URL, not {text!r}")
    return text


def follow(
    feed: FeedClient,
    forwarder: Forwarder,
    position: Position,
    out: TextIO,
    interval: float,
) -> None:
    """Poll the feed after ``position`` and forward each event, one line each, until
    interrupted. A refused key ends it (the error propagates); an unreachable service
    or a rate limit is reported and waited out. The feed sends only the types asked for."""
    reported = False
    while True:
        try:
            page = feed.poll(position)
        except RateLimited as limited:
            print(f"(rate limited; waiting {limited.retry_after} s)", file=out, flush=True)
            time.sleep(limited.retry_after)
            continue
        except FeedUnavailable as error:
            if not reported:
                print(f"({error}; retrying every {interval:g} s)", file=out, flush=True)
                reported = True
            time.sleep(interval)
            continue
        if reported:
            print("(the event feed answers again)", file=out, flush=True)
            reported = False
        if page is None:
            time.sleep(interval)
            continue
        for item in page.items:
            event_type, event_id = event_summary(item)
            answer = forwarder.forward(item.encode(), event_id, event_type)
            line = forward_line(datetime.now(UTC), event_type, event_id, *answer)
            print(line, file=out, flush=True)
        position = position.advance(page.next_cursor, page.etag)
        if not page.more:
            time.sleep(interval)


def cmd_listen(args: argparse.Namespace, out: TextIO) -> None:
    if args.print_secret:
        print(generate_secret(secrets.token_bytes), file=out)
        return
    key = args.key or os.environ.get("CONNECT_API_KEY")
    if not key:
        raise ValidationFailed.single("--key", "is required (or set CONNECT_API_KEY)")
    if not args.forward_to:
        raise ValidationFailed.single(
            "--forward-to", "is required, e.g. http://localhost:3000/hook"
        )
    api = _http_url("--api", args.api or os.environ.get("CONNECT_API_URL") or DEFAULT_API)
    target = _http_url("--forward-to", args.forward_to)
    types = parse_types(args.events, "events")
    given = args.secret or os.environ.get("CONNECT_WEBHOOK_SECRET")
    secret = given or generate_secret(secrets.token_bytes)
    secret_key(secret)  # NOTE: a mistyped secret is refused now, not at the first event.
    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=FEED_TIMEOUT))
    forwards = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=FORWARD_TIMEOUT))
    feed = FeedClient(api, key, http, types)
    position = Position() if args.replay else feed.end()
    shown = ", ".join(sorted(t.value for t in types)) if types else "every event type"
    start = "every event the feed holds, then new ones" if args.replay else "new events"
    mode = "test-mode" if key.startswith(PREFIXES[Mode.TEST]) else "live"
    print(f"Forwarding {start} ({mode}; {shown}) from {api} to {target}", file=out)
    if given:
        # NOTE: a secret the user supplied is not echoed (terminals and CI keep logs).
        print("Signing with the secret you gave (--secret or CONNECT_WEBHOOK_SECRET).", file=out)
    else:
        print(f"Your webhook signing secret is {secret}", file=out)
        print("(export CONNECT_WEBHOOK_SECRET=... to use the same one next time)", file=out)
    print("Ready. Ctrl-C stops.", file=out, flush=True)
    try:
        follow(feed, Forwarder(target, secret, forwards), position, out, args.interval)
    except KeyboardInterrupt:
        print("Stopped.", file=out, flush=True)
    finally:
        http.clear()
        forwards.clear()


def _interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.2 <= value <= 3600:
        raise argparse.ArgumentTypeError("between 0.2 and 3600 seconds")
    return value


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "listen",
        help="forward a Connect service's events, signed, to a local receiver",
        description="Follows the event feed of the Connect at --api with --key (a key with "
        "submissions:read; its mode decides test or live events) and POSTs each new event "
        "to --forward-to, signed like a webhook delivery (Standard Webhooks and X-Signature "
        "headers, the same body). Prints one line per event with the receiver's status.",
    )
    parser.add_argument("--forward-to", help="the local receiver, e.g. http://localhost:3000/hook")
    parser.add_argument("--api", help=f"the service (env CONNECT_API_URL, default {DEFAULT_API})")
    parser.add_argument("--key", help="an API key with submissions:read (env CONNECT_API_KEY)")
    parser.add_argument(
        "--events", help="comma-separated event types to forward (default: all of them)"
    )
    parser.add_argument(
        "--secret",
        help="the whsec_ signing secret (env CONNECT_WEBHOOK_SECRET; default: a new one, printed)",
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="first forward every event the feed still holds, oldest first",
    )
    parser.add_argument(
        "--interval", type=_interval, default=2.0, help="seconds between polls (default 2)"
    )
    parser.add_argument(
        "--print-secret", action="store_true", help="print a new signing secret and exit"
    )
    parser.set_defaults(handler=cmd_listen)
