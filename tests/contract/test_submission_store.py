"""The SubmissionStore contract, for every adapter."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.domain.mode import Mode
from connect.domain.pagination import decode_cursor
from connect.domain.representation import submission_document
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Status
from connect.ports.unit_of_work import UnitOfWork
from tests.domain.strategies import submissions

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
per_adapter = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def new(
    name: str = "Ann", mode: Mode = Mode.LIVE, at: datetime = NOW, **changes: object
) -> NewSubmission:
    fields: dict = dict(
        speaker_name=name,
        talk_context="Async Rust",
        is_on_behalf=False,
        submitter_name=None,
        mode=mode,
        created_at=at,
    )
    fields.update(changes)
    return NewSubmission(**fields)


def test_added_submissions_get_growing_ids_and_read_back_equal(uow: UnitOfWork) -> None:
    with uow() as stores:
        first = stores.submissions.add(new("Ann"))
        second = stores.submissions.add(new("Bob", discord_invite_link="https://discord.gg/abc"))
    assert second.id > first.id
    with uow(write=False) as stores:
        assert stores.submissions.get(first.id, Mode.LIVE) == first
        assert stores.submissions.get(second.id, Mode.LIVE) == second


def test_a_submission_is_invisible_from_the_other_mode(uow: UnitOfWork) -> None:
    with uow() as stores:
        live = stores.submissions.add(new(mode=Mode.LIVE))
        test = stores.submissions.add(new(mode=Mode.TEST))
    with uow(write=False) as stores:
        assert stores.submissions.get(live.id, Mode.TEST) is None
        assert stores.submissions.get(test.id, Mode.LIVE) is None
        assert [s.id for s in stores.submissions.list(SubmissionQuery(Mode.TEST), limit=10)] == [
            test.id
        ]


def test_a_failed_transaction_stores_nothing(uow: UnitOfWork) -> None:
    with pytest.raises(RuntimeError), uow() as stores:
        stores.submissions.add(new("Ghost"))
        raise RuntimeError("boom")
    with uow(write=False) as stores:
        assert list(stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=10)) == []


def test_saving_changes_the_mutable_fields_only(uow: UnitOfWork) -> None:
    with uow() as stores:
        added = stores.submissions.add(new())
        changed = evolve(
            added,
            status=Status.SCHEDULED,
            scheduled_date=date(2026, 3, 18),
            speaker_name="Bea",
            updated_at=NOW + timedelta(hours=1),
            schedule_sequence=2,
        )
        stores.submissions.save(evolve(changed, mode=Mode.TEST, created_at=NOW - timedelta(days=9)))
    with uow(write=False) as stores:
        assert stores.submissions.get(added.id, Mode.LIVE) == changed


def test_lists_filter_by_status_and_since_newest_first(uow: UnitOfWork) -> None:
    with uow() as stores:
        old = stores.submissions.add(new("Old", at=NOW - timedelta(days=3)))
        mid = stores.submissions.add(new("Mid", at=NOW - timedelta(days=1)))
        recent = stores.submissions.add(new("Recent", at=NOW))
        stores.submissions.save(
            evolve(mid, status=Status.SCHEDULED, scheduled_date=date(2026, 3, 1))
        )
    with uow(write=False) as stores:
        assert [s.id for s in stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=10)] == [
            recent.id,
            mid.id,
            old.id,
        ]
        pending = stores.submissions.list(
            SubmissionQuery(Mode.LIVE, frozenset({Status.PENDING})), limit=10
        )
        assert [s.id for s in pending] == [recent.id, old.id]
        since = stores.submissions.list(
            SubmissionQuery(Mode.LIVE, since=NOW - timedelta(days=2)), limit=10
        )
        assert [s.id for s in since] == [recent.id, mid.id]
        assert [
            s.id
            for s in stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=10, before=mid.id)
        ] == [old.id]
        assert [s.id for s in stores.submissions.stream(SubmissionQuery(Mode.LIVE))] == [
            old.id,
            mid.id,
            recent.id,
        ]
        assert [s.id for s in stores.submissions.scheduled(Mode.LIVE)] == [mid.id]


@pytest.mark.parametrize("offset", [-1, 0, 1, 999_999])
def test_since_is_compared_to_the_microsecond_as_the_query_defines_it(
    uow: UnitOfWork, offset: int
) -> None:
    with uow() as stores:
        added = stores.submissions.add(new(at=NOW))
    query = SubmissionQuery(Mode.LIVE, since=NOW + timedelta(microseconds=offset))
    expected = [added.id] if query.matches(added) else []
    assert expected == ([] if offset > 0 else [added.id])
    with uow(write=False) as stores:
        assert [s.id for s in stores.submissions.list(query, limit=10)] == expected
        assert [s.id for s in stores.submissions.stream(query)] == expected
        page = stores.submission_views.page(query, limit=10)
        assert [d["id"] for d in json.loads(page.items_json)] == expected
        assert stores.submissions.fingerprint(query).count == len(expected)


def test_the_schedule_is_ordered_by_date_then_id(uow: UnitOfWork) -> None:
    days = [date(2026, 5, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 3, 1)]
    with uow() as stores:
        for day in days:
            added = stores.submissions.add(new())
            stores.submissions.save(evolve(added, status=Status.SCHEDULED, scheduled_date=day))
    with uow(write=False) as stores:
        schedule = stores.submissions.scheduled(Mode.LIVE)
    assert [(s.scheduled_date, s.id) for s in schedule] == sorted(
        (s.scheduled_date, s.id) for s in schedule
    )
    assert [s.scheduled_date for s in schedule] == sorted(days)


@per_adapter
@given(
    st.lists(st.sampled_from(["insert", "page"]), min_size=1, max_size=40),
    st.integers(1, 7),
    st.randoms(),
)
def test_paging_never_repeats_nor_skips_while_rows_are_inserted(
    uow: UnitOfWork, steps: list[str], limit: int, rng: random.Random
) -> None:
    with uow() as stores:
        for i in range(rng.randint(0, 12)):
            stores.submissions.add(new(f"s{i}"))
    with uow(write=False) as stores:
        existing = {s.id for s in stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=10_000)}
    seen: list[int] = []
    before: int | None = None
    done = False

    def next_page() -> bool:
        nonlocal before
        with uow(write=False) as stores:
            rows = list(
                stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=limit + 1, before=before)
            )
            page = stores.submission_views.page(
                SubmissionQuery(Mode.LIVE), limit=limit, before=before
            )
        items = rows[:limit]
        assert [d["id"] for d in json.loads(page.items_json)] == [s.id for s in items]
        seen.extend(s.id for s in items)
        if len(rows) <= limit:
            assert page.next_cursor is None
            return True
        before = decode_cursor(page.next_cursor)
        assert before == items[-1].id
        return False

    for step in steps:
        if step == "insert":
            with uow() as stores:
                stores.submissions.add(new("late"))
        elif not done:
            done = next_page()
    # Every page holds at least one row: this ends within one page per row, plus one.
    for _ in range(len(existing) + len(steps) + 1):
        if done:
            break
        done = next_page()
    assert done
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert existing <= set(seen), "a row that existed when paging began was skipped"


@per_adapter
@given(st.lists(submissions(), min_size=1, max_size=8), st.integers(1, 5))
def test_a_rendered_page_equals_the_domain_documents(
    uow: UnitOfWork, drawn: list, limit: int
) -> None:
    with uow() as stores:
        mode = drawn[0].mode
        stored = []
        for s in drawn:
            added = stores.submissions.add(
                NewSubmission(
                    speaker_name=s.speaker_name,
                    talk_context=s.talk_context,
                    is_on_behalf=s.is_on_behalf,
                    submitter_name=s.submitter_name,
                    mode=mode,
                    created_at=s.created_at,
                    discord_channel_id=s.discord_channel_id,
                    discord_invite_link=s.discord_invite_link,
                )
            )
            final = evolve(s, id=added.id, mode=mode)
            stores.submissions.save(final)
            stored.append(final)
    with uow(write=False) as stores:
        page = stores.submission_views.page(SubmissionQuery(mode), limit=limit)
        expected = [
            submission_document(s)
            for s in stores.submissions.list(SubmissionQuery(mode), limit=limit)
        ]
    assert json.loads(page.items_json) == expected
    assert expected[: len(stored)] == [submission_document(s) for s in reversed(stored)][:limit]


def test_a_long_read_does_not_hold_up_a_writer(uow: UnitOfWork) -> None:
    import threading

    with uow() as stores:
        stores.submissions.add(new("first"))
    written = threading.Event()

    def write() -> None:
        with uow() as stores:
            stores.submissions.add(new("second"))
        written.set()

    with uow(write=False) as stores:
        rows = stores.submissions.stream(SubmissionQuery(Mode.LIVE))
        first = next(rows)
        writer = threading.Thread(target=write)
        writer.start()
        assert written.wait(timeout=10), "the writer waited for the reader"
        assert first.speaker_name == "first"
    writer.join(timeout=10)
