"""The baseline: a bare Falcon resource returning 50 submissions from memory, served by
waitress with the same settings as ``connect serve``. Run as a subprocess by benchmarks."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

import falcon
import waitress

from connect.domain.mode import Mode
from connect.domain.representation import submission_document
from connect.domain.submissions import Status, Submission


def items(count: int = 50) -> list[dict[str, object]]:
    now = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
    return [
        submission_document(
            Submission(
                id=i,
                speaker_name=f"Speaker {i}",
                talk_context="A talk about Rust " * 8,
                is_on_behalf=False,
                submitter_name=None,
                discord_channel_id=None,
                discord_invite_link=None,
                status=Status.PENDING,
                scheduled_date=None,
                mode=Mode.LIVE,
                created_at=now,
                updated_at=now,
            )
        )
        for i in range(count, 0, -1)
    ]


class Items:
    def __init__(self) -> None:
        self.body = {"data": items(), "next_cursor": "djE6MQ"}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = self.body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    app = falcon.App()
    app.add_route("/api/v1/submissions", Items())
    server = waitress.create_server(
        app, host="127.0.0.1", port=args.port, threads=args.threads, ident="connect"
    )
    print(f"bare falcon listening on http://127.0.0.1:{server.effective_port}", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
