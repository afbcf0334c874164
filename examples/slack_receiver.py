"""A webhook receiver that tells a Slack channel about new and scheduled talks.

It verifies every request with ``connect.verify_webhook``, answers at once, skips
a ``webhook-id`` it has already handled (Connect delivers at least once), and posts
one Slack message per ``submission.created`` and ``talk.scheduled`` event.

    CONNECT_WEBHOOK_SECRET=whsec_... \\
    SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... \\
    .venv/bin/python examples/slack_receiver.py --port 9000

Without ``SLACK_WEBHOOK_URL`` it prints the messages instead. On a laptop, run it as
above (plain HTTP) and let ``connect listen --forward-to http://127.0.0.1:9000/`` bring
it the events, signed with ``CONNECT_WEBHOOK_SECRET`` (docs/webhooks.md, "Test on your
laptop in two minutes"). With ``--tls`` it serves HTTPS with a certificate it makes
itself (see ``local_server.py``), for a Connect that delivers to it directly. In
production, Connect delivers only to public ``https://`` URLs: put it behind your
HTTPS proxy (Caddy, nginx, a tunnel) and register that URL, e.g.
``POST /api/v1/webhooks {"url": "https://bot.example.org/", "events":
["submission.created", "talk.scheduled"]}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import urllib3
from local_server import serve

from connect import WebhookVerificationError, verify_webhook

MAX_BODY = 1024 * 1024
Respond = Callable[[str, list[tuple[str, str]]], Any]


def slack_message(event: dict[str, Any]) -> str | None:
    """The message for an event, or ``None`` for events the channel does not need."""
    talk = event.get("data") or {}
    speaker = talk.get("speaker_name", "someone")
    context = " ".join(str(talk.get("talk_context", "")).split())
    if len(context) > 120:
        context = context[:119] + "…"
    if event.get("event") == "submission.created":
        return f'New talk submission from {speaker}: "{context}"'
    if event.get("event") == "talk.scheduled":
        return f'📅 {speaker} is scheduled for {talk.get("scheduled_date")}: "{context}"'
    return None


class SeenIds:
    """The last ``size`` webhook ids handled: a retry of one is acknowledged, not redone."""

    def __init__(self, size: int = 10_000) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def add(self, webhook_id: str) -> bool:
        """Remember ``webhook_id``; ``False`` if it was already there."""
        if webhook_id in self._ids:
            return False
        self._ids[webhook_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


def make_app(secret: str, post: Callable[[str], None]) -> Callable[..., Iterable[bytes]]:
    """The receiver as a WSGI app.

    Args:
        secret: the webhook's signing secret (``whsec_...``), shown once by Connect.
        post: sends one message to the channel.
    """
    seen = SeenIds()

    def answer(respond: Respond, status: str, text: str) -> list[bytes]:
        respond(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [text.encode()]

    def app(environ: dict[str, Any], respond: Respond) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] != "POST":
            return answer(respond, "405 Method Not Allowed", "POST webhooks here\n")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return answer(respond, "413 Content Too Large", "too large\n")
        body = environ["wsgi.input"].read(length)
        headers = {
            name[5:].replace("_", "-").lower(): value
            for name, value in environ.items()
            if name.startswith("HTTP_")
        }
        try:
            verify_webhook(secret, headers, body)
        except WebhookVerificationError as error:
            return answer(respond, "400 Bad Request", f"rejected: {error}\n")
        if not seen.add(headers["webhook-id"]):
            return answer(respond, "200 OK", "already handled\n")
        message = slack_message(json.loads(body))
        if message is not None:
            post(message)
        return answer(respond, "200 OK", "ok\n")

    return app


def slack_poster(url: str) -> Callable[[str], None]:
    http = urllib3.PoolManager(timeout=urllib3.Timeout(total=10), retries=2)

    def post(message: str) -> None:
        http.request("POST", url, json={"text": message, "unfurl_links": False})

    return post


def printer(message: str) -> None:
    print(message, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--tls", action="store_true", help="serve HTTPS (self-signed)")
    parser.add_argument("--tls-dir", type=Path, default=Path("receiver-tls"))
    args = parser.parse_args()
    secret = os.environ.get("CONNECT_WEBHOOK_SECRET")
    if not secret:
        sys.exit("set CONNECT_WEBHOOK_SECRET to the webhook's whsec_ secret")
    slack = os.environ.get("SLACK_WEBHOOK_URL")
    app = make_app(secret, slack_poster(slack) if slack else printer)
    serve(app, args.host, args.port, args.tls_dir if args.tls else None)


if __name__ == "__main__":
    main()
