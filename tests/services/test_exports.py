from __future__ import annotations

import csv
import io
import json
import threading

import pytest

from connect.bootstrap import Connect
from connect.domain.errors import ValidationFailed
from connect.domain.exports import ExportFormat
from connect.domain.mode import Mode
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.testing import ManualClock
from tests.conftest import principal


def submit(connect: Connect, mode: Mode = Mode.LIVE, name: str = "Ferris") -> int:
    fields = SubmissionFields(speaker_name=name, talk_context="Lifetimes")
    return connect.submissions.create(principal(mode), fields).id


def body(connect: Connect, format: ExportFormat, mode: Mode = Mode.LIVE, **filters: str) -> bytes:
    export = connect.exports.prepare(format, mode=mode, **filters)
    return b"".join(export.chunks())


def test_a_test_key_exports_only_test_submissions(memory_connect: Connect) -> None:
    submit(memory_connect, Mode.LIVE, "Live Speaker")
    submit(memory_connect, Mode.TEST, "Sandbox Speaker")
    test_rows = json.loads(body(memory_connect, ExportFormat.JSON, Mode.TEST))
    live_rows = json.loads(body(memory_connect, ExportFormat.JSON, Mode.LIVE))
    assert [r["speaker_name"] for r in test_rows] == ["Sandbox Speaker"]
    assert [r["speaker_name"] for r in live_rows] == ["Live Speaker"]


def test_filters_select_by_status_and_creation_time(
    memory_connect: Connect, clock: ManualClock
) -> None:
    old = submit(memory_connect, name="Old")
    clock.advance(days=3)
    new = submit(memory_connect, name="New")
    memory_connect.submissions.update(
        principal(), old, SubmissionPatch(scheduled_date="2026-03-18")
    )
    recent = csv.DictReader(
        io.StringIO(body(memory_connect, ExportFormat.CSV, since="2026-02-08").decode())
    )
    assert [int(r["id"]) for r in recent] == [new]
    scheduled = json.loads(body(memory_connect, ExportFormat.JSON, status="scheduled"))
    assert [r["id"] for r in scheduled] == [old]


def test_bad_filters_fail_before_anything_is_read(memory_connect: Connect) -> None:
    with pytest.raises(ValidationFailed):
        memory_connect.exports.prepare(ExportFormat.CSV, status="accepted")


def test_the_entity_tag_changes_when_a_submission_changes_and_only_then(
    memory_connect: Connect, clock: ManualClock
) -> None:
    id = submit(memory_connect)
    clock.advance(seconds=1)
    tag = memory_connect.exports.prepare(ExportFormat.CSV).etag
    assert tag is not None
    assert memory_connect.exports.prepare(ExportFormat.CSV).etag == tag
    clock.advance(seconds=5)
    memory_connect.submissions.update(principal(), id, SubmissionPatch(status="reviewing"))
    assert memory_connect.exports.prepare(ExportFormat.CSV).etag != tag


def test_formats_filters_and_modes_have_different_tags(
    memory_connect: Connect, clock: ManualClock
) -> None:
    submit(memory_connect)
    clock.advance(seconds=1)
    tags = {
        memory_connect.exports.prepare(ExportFormat.CSV).etag,
        memory_connect.exports.prepare(ExportFormat.JSON).etag,
        memory_connect.exports.prepare(ExportFormat.ICS).etag,
        memory_connect.exports.prepare(ExportFormat.CSV, status="pending").etag,
        memory_connect.exports.prepare(ExportFormat.CSV, mode=Mode.TEST).etag,
    }
    assert len(tags) == 5


def test_the_calendar_holds_only_scheduled_talks_and_ignores_filters(
    memory_connect: Connect,
) -> None:
    talk = submit(memory_connect, name="Scheduled")
    submit(memory_connect, name="Pending")
    memory_connect.submissions.update(
        principal(), talk, SubmissionPatch(scheduled_date="2026-03-18")
    )
    feed = body(memory_connect, ExportFormat.ICS, status="pending").decode()
    assert feed.count("BEGIN:VEVENT") == 1
    assert f"UID:talk-{talk}@rustnyc-talks.val.run" in feed


def test_progress_reports_every_submission_written(memory_connect: Connect) -> None:
    for _ in range(3):
        submit(memory_connect)
    seen: list[int] = []
    export = memory_connect.exports.prepare(ExportFormat.CSV)
    b"".join(export.chunks(seen.append))
    assert export.count == 3
    assert seen[-1] == 3


def test_closing_an_export_half_way_releases_the_sqlite_read_transaction(
    sqlite_connect: Connect,
) -> None:
    for _ in range(1200):
        submit(sqlite_connect)
    chunks = sqlite_connect.exports.prepare(ExportFormat.CSV).chunks()
    next(chunks)
    next(chunks)
    chunks.close()
    # The same thread's connection takes a write transaction again: nothing is left open.
    submit(sqlite_connect, name="After")
    rows = list(csv.reader(io.StringIO(body(sqlite_connect, ExportFormat.CSV).decode())))
    assert len(rows) == 1 + 1201


def test_closing_an_export_half_way_lets_other_threads_write_to_memory(
    memory_connect: Connect,
) -> None:
    for _ in range(600):
        submit(memory_connect)
    chunks = memory_connect.exports.prepare(ExportFormat.JSON).chunks()
    next(chunks)
    chunks.close()
    writer = threading.Thread(target=submit, args=(memory_connect,))
    writer.start()
    writer.join(timeout=5)
    assert not writer.is_alive()


def test_no_tag_is_given_until_the_second_of_the_latest_change_is_over(
    memory_connect: Connect, clock: ManualClock
) -> None:
    id = submit(memory_connect)
    assert memory_connect.exports.prepare(ExportFormat.CSV).etag is None
    clock.advance(seconds=1)
    tag = memory_connect.exports.prepare(ExportFormat.CSV).etag
    assert tag is not None
    # A change in the very next instant still lands in a later second: a new tag.
    memory_connect.submissions.update(principal(), id, SubmissionPatch(talk_context="Pinning"))
    clock.advance(seconds=1)
    assert memory_connect.exports.prepare(ExportFormat.CSV).etag not in (None, tag)


def test_a_large_sqlite_export_never_holds_the_table_in_memory(sqlite_connect: Connect) -> None:
    import sqlite3
    import tracemalloc

    row = ("Speaker", "A talk about borrowing, " * 20, 0, "2026-02-06T13:57:40Z")
    with sqlite3.connect(sqlite_connect.config.db) as db:
        db.executemany(
            "INSERT INTO talk_submissions_3 (speaker_name, talk_context, is_on_behalf, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            [(*row, row[3])] * 10_000,
        )
    export = sqlite_connect.exports.prepare(ExportFormat.JSON)
    tracemalloc.start()
    try:
        size = sum(len(chunk) for chunk in export.chunks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 6_000_000
    assert peak < size / 4, (peak, size)
