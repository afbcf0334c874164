"""SubmissionQuery: the one filter of lists, pages, exports and fingerprints."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from attrs import evolve
from hypothesis import assume, given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.mode import Mode
from connect.domain.submission_query import (
    EXPORT_STATUSES,
    LIST_STATUSES,
    SEARCH_MAX,
    SubmissionQuery,
)
from connect.domain.submissions import Status, Submission
from connect.domain.time import format_instant
from tests.domain.strategies import instants, submissions

status_sets = st.none() | st.frozensets(st.sampled_from(Status), min_size=1)
searches = st.none() | st.text(min_size=1, max_size=SEARCH_MAX).map(str.strip).filter(bool)
queries = st.builds(
    SubmissionQuery,
    mode=st.sampled_from(Mode),
    statuses=status_sets,
    since=st.none() | instants,
    search=searches,
)


def test_no_filters_means_every_submission_of_the_mode() -> None:
    assert SubmissionQuery.parse(Mode.LIVE) == SubmissionQuery(Mode.LIVE)
    assert SubmissionQuery.parse(Mode.TEST, status="all", since=" ", q="") == SubmissionQuery(
        Mode.TEST
    )


def test_since_takes_a_date_as_midnight_utc_or_a_datetime() -> None:
    day = SubmissionQuery.parse(Mode.LIVE, since="2026-02-06").since
    moment = SubmissionQuery.parse(Mode.LIVE, since="2026-02-06T13:57:40Z").since
    assert day == datetime(2026, 2, 6, tzinfo=UTC)
    assert moment == datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


@given(st.sampled_from(list(LIST_STATUSES)), st.sampled_from(Mode))
def test_the_list_takes_every_status_and_all(text: str, mode: Mode) -> None:
    statuses = SubmissionQuery.parse(mode, status=text).statuses
    assert statuses == (None if text == "all" else frozenset({Status(text)}))


@given(st.text(max_size=20))
def test_any_other_status_is_a_field_problem_naming_the_choices(text: str) -> None:
    assume(text.strip() and text.strip() not in LIST_STATUSES)
    for choices in (LIST_STATUSES, EXPORT_STATUSES):
        with pytest.raises(ValidationFailed) as refused:
            SubmissionQuery.parse(Mode.LIVE, status=text, choices=choices)
        (problem,) = refused.value.errors
        assert problem.field == "status"
        assert problem.message == f"must be one of: {', '.join(choices)}"


def test_exports_offer_pending_scheduled_and_all_only() -> None:
    assert SubmissionQuery.parse(Mode.LIVE, status="pending", choices=EXPORT_STATUSES).statuses == {
        Status.PENDING
    }
    with pytest.raises(ValidationFailed) as refused:
        SubmissionQuery.parse(Mode.LIVE, status="accepted", choices=EXPORT_STATUSES)
    assert refused.value.errors[0].message == "must be one of: pending, scheduled, all"


def test_bad_filters_are_all_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as raised:
        SubmissionQuery.parse(Mode.LIVE, since="yesterday", status="accepted!", q="x" * 201)
    assert [e.field for e in raised.value.errors] == ["since", "status", "q"]


@given(st.text(max_size=SEARCH_MAX + 20))
def test_q_is_kept_trimmed_when_short_enough_and_refused_when_not(text: str) -> None:
    trimmed = text.strip()
    if len(trimmed) > SEARCH_MAX:
        with pytest.raises(ValidationFailed):
            SubmissionQuery.parse(Mode.LIVE, q=text)
    else:
        assert SubmissionQuery.parse(Mode.LIVE, q=text).search == (trimmed or None)


@given(queries)
def test_a_query_parses_back_from_its_own_spelling(query: SubmissionQuery) -> None:
    assume(query.statuses is None or len(query.statuses) == 1)
    (status,) = query.statuses or {"all"}
    since = format_instant(query.since) if query.since is not None else None
    parsed = SubmissionQuery.parse(query.mode, status=status, since=since, q=query.search)
    assert parsed == query


@given(queries, queries)
def test_different_filters_never_share_an_entity_tag_key(
    one: SubmissionQuery, other: SubmissionQuery
) -> None:
    assume(evolve(one, mode=other.mode) != other)
    assert one.key != other.key


@pytest.mark.parametrize(
    "changes",
    [
        {"statuses": {Status.PENDING}},
        {"statuses": frozenset({"pending"})},
        {"since": datetime(2026, 2, 6)},
        {"search": ""},
        {"search": " padded "},
        {"search": "x" * (SEARCH_MAX + 1)},
    ],
)
def test_a_query_that_breaks_a_rule_cannot_be_made(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SubmissionQuery(Mode.LIVE, **changes)  # type: ignore[arg-type]


@given(queries, submissions())
def test_a_query_matches_exactly_its_mode_statuses_time_and_text(
    query: SubmissionQuery, submission: Submission
) -> None:
    folded = query.folded_search
    expected = (
        submission.mode is query.mode
        and (query.statuses is None or submission.status in query.statuses)
        and (query.since is None or submission.created_at >= query.since)
        and (
            folded is None
            or folded in submission.speaker_name.casefold()
            or folded in submission.talk_context.casefold()
        )
    )
    assert query.matches(submission) == expected
