"""A webhook receiver that keeps a local SQLite copy of the submissions in sync.

Every verified event updates the copy: ``submission.created``, ``submission.updated``
and ``talk.scheduled`` store the submission in ``data`` (unless the copy already holds
a newer version: Connect does not promise the order of deliveries), and
``submission.deleted`` erases it (a tombstone stays, so a late event cannot bring it
back). A ``webhook-id`` already handled is acknowledged and skipped (at-least-once).

    CONNECT_WEBHOOK_SECRET=whsec_... \\
    .venv/bin/python examples/sync_receiver.py --port 3000 --db sync.db

Behind ``connect listen --forward-to http://127.0.0.1:3000/hook`` it runs on a laptop
(docs/webhooks.md, "Test on your laptop in two minutes"); ``--tls`` serves HTTPS with a
certificate it makes itself, for a Connect that delivers to it directly.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from local_server import serve

from connect import WebhookVerificationError, verify_webhook

MAX_BODY = 1024 * 1024
STORED = {"submission.created", "submission.updated", "talk.scheduled"}
Respond = Callable[[str, list[tuple[str, str]]], Any]
SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS handled (webhook_id TEXT PRIMARY KEY);
"""
# NOTE: an older version never replaces the copy (ISO 8601 UTC times sort as text), and
# nothing replaces a tombstone. ``updated_at`` counts whole seconds: of two versions
# in the same second the later delivery wins, which is the newer one unless a retry
# reordered them; a receiver that must be exact fetches the submission from the API.
UPSERT = """
INSERT INTO submissions (id, updated_at, document) VALUES (?, ?, ?)
ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, document = excluded.document
WHERE submissions.deleted = 0 AND excluded.updated_at >= submissions.updated_at
"""
ERASE = """
INSERT INTO submissions (id, updated_at, deleted, document) VALUES (?, '', 1, '{}')
ON CONFLICT (id) DO UPDATE SET deleted = 1, document = '{}'
"""


class Copy:
    """The local copy: one SQLite file, one writer at a time."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def apply(self, webhook_id: str, event: dict[str, Any]) -> str | None:
        """Apply one event once; what changed, or ``None`` for a repeat or no change."""
        data = event.get("data") or {}
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seen = self._db.execute(
                    "INSERT OR IGNORE INTO handled (webhook_id) VALUES (?)", (webhook_id,)
                )
                if seen.rowcount == 0:
                    self._db.execute("ROLLBACK")
                    return None
                line = self._change(event.get("event"), data)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return line

    def _change(self, kind: object, data: dict[str, Any]) -> str | None:
        if kind in STORED:
            document = json.dumps(data, ensure_ascii=False, sort_keys=True)
            changed = self._db.execute(UPSERT, (data["id"], data["updated_at"], document))
            if changed.rowcount == 0:
                return f"kept the newer copy of submission {data['id']}"
            when = data.get("scheduled_date") or "not scheduled"
            return f"stored submission {data['id']}: {data.get('speaker_name')} ({when})"
        if kind == "submission.deleted":
            self._db.execute(ERASE, (data["id"],))
            return f"erased submission {data['id']}"
        return None

    def submissions(self) -> list[dict[str, Any]]:
        """Every submission in the copy (not the erased ones), by id."""
        with self._lock:
            rows = self._db.execute(
                "SELECT document FROM submissions WHERE deleted = 0 ORDER BY id"
            ).fetchall()
        return [json.loads(row[0]) for row in rows]


def make_app(secret: str, copy: Copy) -> Callable[..., Iterable[bytes]]:
    """The receiver as a WSGI app: verify, apply once, answer at once."""

    def answer(respond: Respond, status: str, text: str) -> list[bytes]:
        respond(status, [("Content-Type", "text/plain; charset=utf-8")])
        return [text.encode()]

    def app(environ: dict[str, Any], respond: Respond) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "GET":
            respond("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"data": copy.submissions()}).encode()]
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
        line = copy.apply(headers["webhook-id"], json.loads(body))
        if line is not None:
            print(line, flush=True)
        return answer(respond, "200 OK", "ok\n")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--db", type=Path, default=Path("sync.db"), help="the local copy")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS (self-signed)")
    parser.add_argument("--tls-dir", type=Path, default=Path("receiver-tls"))
    args = parser.parse_args()
    secret = os.environ.get("CONNECT_WEBHOOK_SECRET")
    if not secret:
        sys.exit("set CONNECT_WEBHOOK_SECRET to the webhook's whsec_ secret")
    app = make_app(secret, Copy(args.db))
    serve(app, args.host, args.port, args.tls_dir if args.tls else None)


if __name__ == "__main__":
    main()
