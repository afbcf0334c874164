"""Search (``q``) in the SubmissionStore and SubmissionViews contracts, for every adapter."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.domain.mode import Mode
from connect.domain.pagination import decode_cursor
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import NewSubmission, Status
from connect.ports.unit_of_work import UnitOfWork
from tests.domain.strategies import texts

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
EVERYTHING = 10_000
per_adapter = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def talk(speaker: str, context: str, mode: Mode = Mode.LIVE) -> NewSubmission:
    return NewSubmission(
        speaker_name=speaker,
        talk_context=context,
        is_on_behalf=False,
        submitter_name=None,
        mode=mode,
        created_at=NOW,
    )


def test_search_ignores_case_and_accents_stay_found_in_both_fields(uow: UnitOfWork) -> None:
    with uow() as stores:
        emile = stores.submissions.add(talk("Émile Zola", "Rust at the post office"))
        ferris = stores.submissions.add(talk("Ferris", "Async RUST in production"))
        stores.submissions.add(talk("Corro", "Unsafe, safely"))
        stores.submissions.add(talk("Émile", "A test-mode talk about rust", Mode.TEST))
    with uow(write=False) as stores:
        for q, expected in [("rust", [ferris.id, emile.id]), ("émile", [emile.id])]:
            query = SubmissionQuery.parse(Mode.LIVE, q=q)
            rows = stores.submissions.list(query, limit=10)
            assert [s.id for s in rows] == expected
            page = stores.submission_views.page(query, limit=10)
            assert [d["id"] for d in json.loads(page.items_json)] == expected


def test_search_combines_with_the_status_filter(uow: UnitOfWork) -> None:
    with uow() as stores:
        stores.submissions.add(talk("Ann", "Rust"))
        second = stores.submissions.add(talk("Bob", "Rust"))
    with uow(write=False) as stores:
        pending = SubmissionQuery(Mode.LIVE, frozenset({Status.PENDING}), search="bob")
        rows = stores.submissions.list(pending, limit=10)
        assert [s.id for s in rows] == [second.id]
        declined = SubmissionQuery(Mode.LIVE, frozenset({Status.DECLINED}), search="bob")
        none = stores.submissions.list(declined, limit=10)
        assert list(none) == []


@per_adapter
@given(
    st.lists(st.tuples(texts, texts), min_size=1, max_size=8),
    st.data(),
    st.integers(min_value=1, max_value=3),
)
def test_search_pages_hold_exactly_the_matching_rows_newest_first(
    uow: UnitOfWork, drawn: list[tuple[str, str]], data: st.DataObject, limit: int
) -> None:
    with uow() as stores:
        for speaker, context in drawn:
            stores.submissions.add(talk(speaker.strip()[:120], context.strip()))
    source = data.draw(st.sampled_from([text for pair in drawn for text in pair]))
    start = data.draw(st.integers(0, len(source) - 1))
    q = data.draw(st.sampled_from([source[start : start + 3], source.upper(), "zz\u00df"]))
    query = SubmissionQuery.parse(Mode.LIVE, q=q)
    with uow(write=False) as stores:
        everything = stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=EVERYTHING)
    expected = [s.id for s in everything if query.matches(s)]

    seen: list[int] = []
    before: int | None = None
    for _ in range(len(everything) + 1):
        with uow(write=False) as stores:
            page = stores.submission_views.page(query, limit=limit, before=before)
            rows = stores.submissions.list(query, limit=limit, before=before)
        ids = [d["id"] for d in json.loads(page.items_json)]
        assert ids == [s.id for s in rows]
        seen.extend(ids)
        if page.next_cursor is None:
            break
        before = decode_cursor(page.next_cursor)
    assert seen == expected


@per_adapter
@given(texts, texts, st.data())
def test_search_never_matches_across_the_end_of_the_name_and_the_talk(
    uow: UnitOfWork, speaker: str, context: str, data: st.DataObject
) -> None:
    speaker, context = speaker.strip()[:120], context.strip()
    with uow() as stores:
        added = stores.submissions.add(talk(speaker, context))
    # A query made of the name's end and the talk's start: found only when one field
    # alone holds it.
    tail = data.draw(st.integers(1, len(speaker)))
    head = data.draw(st.integers(1, len(context)))
    # NOTE: the store outlives one example, so the rows of earlier examples are there
    # too (and may hold the query): the answer is every stored row the domain picks.
    with uow(write=False) as stores:
        stored = stores.submissions.list(SubmissionQuery(Mode.LIVE), limit=EVERYTHING)
    assert stored[0] == added
    for joiner in ("", " ", "\n"):
        query = SubmissionQuery.parse(Mode.LIVE, q=speaker[-tail:] + joiner + context[:head])
        if query.search is None:
            continue
        with uow(write=False) as stores:
            found = [s.id for s in stores.submissions.list(query, limit=EVERYTHING)]
            page = stores.submission_views.page(query, limit=EVERYTHING)
        expected = [s.id for s in stored if query.matches(s)]
        assert found == expected
        assert [d["id"] for d in json.loads(page.items_json)] == expected


def test_a_search_for_the_nul_character_finds_nothing_and_fails_nothing(uow: UnitOfWork) -> None:
    with uow() as stores:
        stores.submissions.add(talk("Ann", "Rust"))
    with uow(write=False) as stores:
        nul = SubmissionQuery(Mode.LIVE, search="ann\x00")
        assert list(stores.submissions.list(nul, limit=10)) == []
        page = stores.submission_views.page(SubmissionQuery(Mode.LIVE, search="\x00"), limit=10)
    assert json.loads(page.items_json) == []
