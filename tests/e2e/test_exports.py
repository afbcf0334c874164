"""Exports on the real server: headers, status codes, 304s, keys in URLs, modes."""

from __future__ import annotations

import csv
import io
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from connect.entrypoints.cli import main
from connect.testing import ManualClock, wait_until
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e

CSV = "/api/v1/exports/submissions.csv"
JSON = "/api/v1/exports/submissions.json"
ICS = "/api/v1/exports/schedule.ics"


def submit(server: RunningServer, token: str, name: str, context: str = "Lifetimes") -> int:
    reply = server.request(
        "POST",
        "/api/v1/submissions",
        token=token,
        json_body={"speaker_name": name, "talk_context": context, "is_on_behalf": False},
    )
    assert reply.status == 201, reply
    return int(reply.json()["id"])


def schedule(server: RunningServer, token: str, id: int, day: str) -> None:
    reply = server.request(
        "PATCH", f"/api/v1/submissions/{id}", token=token, json_body={"scheduled_date": day}
    )
    assert reply.status == 200, reply


@pytest.fixture
def server(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """The real server, telling the time by the test's ``clock``."""
    running = RunningServer(tmp_path / "connect.db", clock=clock)
    yield running
    running.close()


def settle(clock: ManualClock) -> None:
    """Move to the next second: an export gets an ETag only once the second of its
    latest change is over (stored times have one-second resolution)."""
    clock.advance(seconds=1)


@pytest.fixture(autouse=True)
def _drop_client_connections(server: RunningServer) -> Iterator[None]:
    # NOTE: an idle keep-alive connection keeps waitress's loop alive, and
    # RunningServer.close() then waits 5 s for its thread; closing ours first avoids it.
    yield
    server.http.clear()


@pytest.fixture
def exporter(server: RunningServer) -> str:
    return server.key("exports:create", name="exporter")


def test_the_csv_export_is_a_utf8_attachment_with_the_contract_columns(
    server: RunningServer, exporter: str, clock: ManualClock
) -> None:
    id = submit(server, server.organizer, '=HYPERLINK("x")', 'Multi\nline, "quoted" — ünïcode')
    settle(clock)
    reply = server.request("GET", CSV, token=exporter)
    assert reply.status == 200, reply
    assert reply.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert reply.headers["Content-Disposition"] == 'attachment; filename="submissions.csv"'
    assert reply.headers["ETag"].startswith('"')
    assert "Last-Modified" in reply.headers
    rows = list(csv.reader(io.StringIO(reply.data.decode("utf-8"), newline="")))
    assert rows[0] == [
        "id",
        "speaker_name",
        "talk_context",
        "is_on_behalf",
        "submitter_name",
        "discord_channel_id",
        "created_at",
        "scheduled_date",
    ]
    assert rows[1][:4] == [str(id), '\'=HYPERLINK("x")', 'Multi\nline, "quoted" — ünïcode', "false"]
    assert rows[1][6].endswith("Z")


def test_the_json_export_equals_what_the_read_api_returns(
    server: RunningServer, exporter: str
) -> None:
    for name in ("Ada", "Grace", "Ferris"):
        submit(server, server.organizer, name)
    reply = server.request("GET", JSON, token=exporter)
    assert reply.status == 200, reply
    assert reply.headers["Content-Type"] == "application/json"
    listed = server.request("GET", "/api/v1/submissions", token=server.organizer).json()["data"]
    assert reply.json() == list(reversed(listed))


def test_the_calendar_feed_takes_the_key_in_the_url_and_lists_scheduled_talks(
    server: RunningServer, exporter: str
) -> None:
    talk = submit(server, server.organizer, "Ferris")
    submit(server, server.organizer, "Not yet")
    schedule(server, server.organizer, talk, "2026-03-18")
    schedule(server, server.organizer, talk, "2026-04-15")
    reply = server.request("GET", f"{ICS}?key={exporter}")
    assert reply.status == 200, reply
    assert reply.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(reply.data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"talk-{talk}@rustnyc-talks.val.run"]
    assert int(events[0]["SEQUENCE"]) == 1
    assert events[0].decoded("DTSTART").isoformat() == "2026-04-15T18:30:00-04:00"


@pytest.mark.parametrize("path", [CSV, JSON])
def test_a_key_in_the_url_is_refused_on_csv_and_json(
    server: RunningServer, exporter: str, path: str
) -> None:
    alone = server.request("GET", f"{path}?key={exporter}")
    beside_header = server.request("GET", f"{path}?key={exporter}", token=exporter)
    for reply in (alone, beside_header):
        assert reply.status == 401, reply
        assert reply.headers["Content-Type"] == "application/problem+json"
        assert reply.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", [CSV, JSON, ICS])
def test_every_export_answers_a_matching_if_none_match_with_304(
    server: RunningServer, exporter: str, path: str, clock: ManualClock
) -> None:
    talk = submit(server, server.organizer, "Ferris")
    schedule(server, server.organizer, talk, "2026-03-18")
    settle(clock)
    first = server.request("GET", path, token=exporter)
    tag = first.headers["ETag"]
    again = server.request("GET", path, token=exporter, headers={"If-None-Match": tag})
    assert again.status == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    other = server.request("GET", path, token=exporter, headers={"If-None-Match": '"nope"'})
    assert other.status == 200
    assert other.data == first.data


def test_a_change_to_a_talk_makes_the_old_tag_fetch_the_new_bytes(
    server: RunningServer, exporter: str, clock: ManualClock
) -> None:
    talk = submit(server, server.organizer, "Ferris")
    schedule(server, server.organizer, talk, "2026-03-18")
    settle(clock)
    tag = server.request("GET", ICS, token=exporter).headers["ETag"]
    # At once, in the same second the tag was given: the tag still changes.
    schedule(server, server.organizer, talk, "2026-03-25")
    reply = server.request("GET", ICS, token=exporter, headers={"If-None-Match": tag})
    assert reply.status == 200
    assert b"20260325T183000" in reply.data


@pytest.mark.parametrize("path", [CSV, JSON, ICS])
def test_exports_need_a_key_with_the_exports_create_scope(server: RunningServer, path: str) -> None:
    reader = server.key("submissions:read")
    assert server.request("GET", path).status == 401
    assert server.request("GET", path, token=reader).status == 403
    assert server.request("GET", path, token="rnc_live_" + "x" * 24).status == 401


def test_a_test_key_exports_only_test_mode_data(server: RunningServer) -> None:
    live_writer = server.key("submissions:write")
    test_writer = server.key("submissions:write", mode="test")
    test_exporter = server.key("exports:create", mode="test")
    live_exporter = server.key("exports:create")
    submit(server, live_writer, "Live speaker")
    sandbox = submit(server, test_writer, "Sandbox speaker")
    schedule(server, test_writer, sandbox, "2026-03-18")
    test_rows = server.request("GET", JSON, token=test_exporter).json()
    assert [r["speaker_name"] for r in test_rows] == ["Sandbox speaker"]
    live_csv = server.request("GET", CSV, token=live_exporter).text
    assert "Live speaker" in live_csv and "Sandbox" not in live_csv
    live_feed = server.request("GET", f"{ICS}?key={live_exporter}").data
    assert b"BEGIN:VEVENT" not in live_feed
    test_feed = server.request("GET", f"{ICS}?key={test_exporter}").data
    assert f"talk-{sandbox}@".encode() in test_feed


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (CSV, "status=accepted"),
        (CSV, "since=yesterday"),
        (JSON, "status="),
        (JSON, "since=2026-13-45"),
    ],
)
def test_bad_filters_are_422_with_the_field_named(
    server: RunningServer, exporter: str, path: str, query: str
) -> None:
    reply = server.request("GET", f"{path}?{query}", token=exporter)
    if query == "status=":
        # A blank filter is no filter.
        assert reply.status == 200
        return
    assert reply.status == 422, reply
    assert reply.json()["errors"][0]["field"] == query.split("=")[0]


def test_filters_narrow_the_csv_and_json_exports(server: RunningServer, exporter: str) -> None:
    talk = submit(server, server.organizer, "Scheduled one")
    submit(server, server.organizer, "Pending one")
    schedule(server, server.organizer, talk, "2026-03-18")
    scheduled = server.request("GET", f"{JSON}?status=scheduled", token=exporter).json()
    assert [r["id"] for r in scheduled] == [talk]
    future = server.request("GET", f"{CSV}?since=2100-01-01", token=exporter).text
    assert future.count("\r\n") == 1


def test_no_log_line_and_no_stored_byte_holds_the_calendar_key(
    server: RunningServer, exporter: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    submit(server, server.organizer, "Ferris")
    assert server.request("GET", f"{ICS}?key={exporter}").status == 200
    assert server.request("GET", f"{CSV}?key={exporter}").status == 401
    assert server.request("GET", f"{ICS}?key={exporter}&since=bad").status == 200
    wrong = exporter[:-1] + ("A" if exporter[-1] != "A" else "B")
    assert server.request("GET", f"{ICS}?key={wrong}").status == 401
    # The test's own HTTP client (urllib3) logs the URLs it requests: not the server.
    server_records = [r for r in caplog.records if not r.name.startswith("urllib3")]
    logged = "".join(f"{r.getMessage()} {r.args} {r.exc_text}" for r in server_records)
    assert exporter not in logged and wrong not in logged
    db = Path(server.config.db)
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            assert exporter.encode() not in path.read_bytes()


@pytest.mark.parametrize(("format", "path"), [("csv", CSV), ("json", JSON), ("ics", ICS)])
def test_the_cli_writes_exactly_the_bytes_of_the_http_route(
    server: RunningServer,
    exporter: str,
    tmp_path: Path,
    format: str,
    path: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    talk = submit(server, server.organizer, "Ferris", 'Zero-cost\r\nabstractions, "really"')
    submit(server, server.organizer, "@mention")
    schedule(server, server.organizer, talk, "2026-03-18")
    for name in [n for n in os.environ if n.startswith("CONNECT_")]:
        monkeypatch.delenv(name)
    target = tmp_path / f"out.{format}"
    status = main(["export", format, "-o", str(target), "--db", server.config.db], out=sys.stdout)
    assert status == 0
    assert target.read_bytes() == server.request("GET", path, token=exporter).data
    assert not (tmp_path / f"out.{format}.part").exists()


def test_the_cli_refuses_bad_filters_with_a_non_zero_exit(
    server: RunningServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["export", "csv", "--status", "maybe", "--db", server.config.db])
    assert status != 0
    assert "status: must be one of: pending, scheduled, all" in capsys.readouterr().err


def test_a_client_that_hangs_up_mid_export_releases_the_read_transaction(
    server: RunningServer, exporter: str
) -> None:
    import http.client
    import sqlite3

    db = server.config.db
    # Enough rows that the body outgrows waitress's 16 MB output buffer, so the export
    # is still reading when the client goes away.
    rows = [("Speaker", "x" * 400, 0, "2026-02-06T13:57:40Z", "2026-02-06T13:57:40Z")] * 60_000
    with sqlite3.connect(db) as seed:
        seed.executemany(
            "INSERT INTO talk_submissions_3 (speaker_name, talk_context, is_on_behalf, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    def readers_gone() -> bool:
        with sqlite3.connect(db, timeout=0.2) as other:
            other.execute("UPDATE talk_submissions_3 SET updated_at = updated_at WHERE id = 1")
        checker = sqlite3.connect(db, timeout=0.2)
        try:
            busy, _, _ = checker.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            checker.close()
        return busy == 0

    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    client.request("GET", CSV, headers={"Authorization": f"Bearer {exporter}"})
    response = client.getresponse()
    assert response.status == 200
    assert response.read(64 * 1024)
    assert not readers_gone(), "the export should still hold its snapshot"
    # Both: the response's file object keeps the socket open until it is closed too.
    response.close()
    client.close()
    assert wait_until(readers_gone, timeout=20), "the export kept its read transaction"
