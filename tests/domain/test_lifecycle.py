"""The status lifecycle: one table of legal moves, and patches that keep to it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.submissions import Status, Submission, allowed_transitions
from tests.domain.strategies import submissions
from tests.domain.submission_bodies import apply_patch

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
patches = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from([s.value for s in Status]),
        "scheduled_date": st.none() | dates.map(date.isoformat),
        "speaker_name": st.just("Bea"),
    },
)


def move_to(target: Status, day: date) -> dict[str, object]:
    """The patch an organizer sends to move a talk to ``target`` (a date to schedule)."""
    return {"scheduled_date": day.isoformat()} if target is Status.SCHEDULED else {"status": target}


@given(submissions(), patches)
def test_every_accepted_patch_moves_the_status_along_the_lifecycle(
    current: Submission, patch: dict
) -> None:
    try:
        after = apply_patch(current, patch, now=NOW).submission
    except ValidationFailed:
        return
    assert after.status is current.status or after.status in allowed_transitions(current.status)


@given(submissions(), st.sampled_from(Status), dates)
def test_a_move_is_accepted_exactly_when_the_lifecycle_allows_it(
    current: Submission, target: Status, day: date
) -> None:
    legal = target is current.status or target in allowed_transitions(current.status)
    try:
        after = apply_patch(current, move_to(target, day), now=NOW).submission
    except ValidationFailed as refused:
        assert not legal
        (problem,) = refused.errors
        assert f"cannot become {target.value}" in problem.message
        return
    assert legal and after.status is target


@pytest.mark.parametrize("status", list(Status))
def test_no_talk_goes_back_to_pending_and_only_a_scheduled_one_moves_to_itself(
    status: Status,
) -> None:
    moves = allowed_transitions(status)
    assert Status.PENDING not in moves
    assert (status in moves) == (status is Status.SCHEDULED)
    assert len(set(moves)) == len(moves)


def test_from_pending_every_status_is_reachable_and_every_talk_can_be_scheduled() -> None:
    def reachable(start: Status) -> set[Status]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in allowed_transitions(todo.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    assert reachable(Status.PENDING) == set(Status)
    assert all(Status.SCHEDULED in reachable(s) for s in Status)


@given(submissions(), dates)
def test_a_declined_talk_is_reopened_before_it_is_scheduled(current: Submission, day: date) -> None:
    declined = apply_patch(current, {"status": "declined"}, now=NOW).submission
    with pytest.raises(ValidationFailed) as refused:
        apply_patch(declined, {"scheduled_date": day.isoformat()}, now=NOW)
    assert refused.value.errors[0].field == "scheduled_date"
    assert "allowed: reviewing" in refused.value.errors[0].message
    reopened = apply_patch(declined, {"status": "reviewing"}, now=NOW).submission
    scheduled = apply_patch(reopened, {"scheduled_date": day.isoformat()}, now=NOW).submission
    assert (scheduled.status, scheduled.scheduled_date) == (Status.SCHEDULED, day)
