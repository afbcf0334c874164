from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from connect.adapters.http.structure import FORM_MEMBERS
from connect.domain.errors import ValidationFailed
from connect.domain.events import EventType, submission_changed, submission_created
from connect.domain.mode import Mode
from connect.domain.submissions import Status, Submission, allowed_transitions
from tests.domain.strategies import submissions
from tests.domain.submission_bodies import apply_patch, new_submission

NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
padding = st.text(alphabet=" \t\n", max_size=5)


def fields(**changes: object) -> dict:
    base: dict = {"speaker_name": "Ann", "talk_context": "Async Rust", "is_on_behalf": False}
    base.update(changes)
    return base


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return {e.field: e.message for e in caught.value.errors}


@given(st.integers(min_value=1, max_value=130), padding, padding)
def test_speaker_names_are_trimmed_and_limited_to_120_characters(
    length: int, left: str, right: str
) -> None:
    name = left + "x" * length + right
    if length <= 120:
        assert (
            new_submission(fields(speaker_name=name), mode=Mode.LIVE, now=NOW).speaker_name
            == "x" * length
        )
    else:
        assert "speaker_name" in errors_of(
            lambda: new_submission(fields(speaker_name=name), mode=Mode.LIVE, now=NOW)
        )


@pytest.mark.parametrize(("length", "ok"), [(1, True), (7999, True), (8000, True), (8001, False)])
def test_talk_context_is_limited_to_8000_characters(length: int, ok: bool) -> None:
    def make():
        return new_submission(
            fields(talk_context=" " + "y" * length + " "), mode=Mode.LIVE, now=NOW
        )

    if ok:
        assert len(make().talk_context) == length
    else:
        assert "talk_context" in errors_of(make)


@pytest.mark.parametrize(("length", "ok"), [(120, True), (121, False)])
def test_submitter_name_boundary_is_120(length: int, ok: bool) -> None:
    def make():
        return new_submission(
            fields(is_on_behalf=True, submitter_name="s" * length), mode=Mode.LIVE, now=NOW
        )

    if ok:
        assert make().submitter_name == "s" * length
    else:
        assert "submitter_name" in errors_of(make)


@given(st.sampled_from([None, "", "   ", "\n\t"]))
def test_blank_or_missing_required_text_is_refused(value: object) -> None:
    problems = errors_of(
        lambda: new_submission(
            fields(speaker_name=value, talk_context=value), mode=Mode.LIVE, now=NOW
        )
    )
    assert set(problems) == {"speaker_name", "talk_context"}


@given(st.sampled_from([None, "", "  "]))
def test_a_submission_on_behalf_needs_the_submitters_name(value: object) -> None:
    problems = errors_of(
        lambda: new_submission(
            fields(is_on_behalf=True, submitter_name=value), mode=Mode.LIVE, now=NOW
        )
    )
    assert "submitter_name" in problems


@given(st.one_of(st.integers(), st.text(max_size=3), st.lists(st.none(), max_size=1)))
def test_wrong_types_are_field_errors_not_crashes(value: object) -> None:
    assume(not isinstance(value, str) or not value.strip())
    problems = errors_of(
        lambda: new_submission(
            {
                "speaker_name": value,
                "talk_context": value,
                "is_on_behalf": value if not isinstance(value, bool) else "yes",
            },
            mode=Mode.LIVE,
            now=NOW,
        )
    )
    assert {"speaker_name", "talk_context"} <= set(problems)


def test_the_form_reports_errors_under_its_own_field_names() -> None:
    problems = errors_of(
        lambda: new_submission({"isOnBehalf": "yes"}, mode=Mode.LIVE, now=NOW, members=FORM_MEMBERS)
    )
    assert set(problems) == {"speakerName", "talkContext", "isOnBehalf"}


def test_a_new_submission_is_pending_and_unscheduled() -> None:
    submission = Submission.from_new(new_submission(fields(), mode=Mode.TEST, now=NOW), 7)
    assert (submission.id, submission.status, submission.scheduled_date, submission.mode) == (
        7,
        Status.PENDING,
        None,
        Mode.TEST,
    )
    assert submission.created_at == submission.updated_at == NOW


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
patches = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from([s.value for s in Status]),
        "scheduled_date": st.none() | dates.map(date.isoformat),
        "speaker_name": st.sampled_from(["Bea", "  Cy  "]),
        "discord_channel_id": st.none() | st.just("123456789012345678"),
    },
)


@given(submissions(), patches)
def test_status_is_scheduled_exactly_when_a_date_is_set(current: Submission, patch: dict) -> None:
    try:
        change = apply_patch(current, patch, now=NOW + timedelta(days=1))
    except ValidationFailed:
        return
    after = change.submission
    assert (after.status is Status.SCHEDULED) == (after.scheduled_date is not None)
    assert after.id == current.id and after.created_at == current.created_at


@given(submissions(), dates)
def test_setting_a_date_schedules_the_talk_and_moving_it_bumps_the_sequence(
    current: Submission, day: date
) -> None:
    assume(Status.SCHEDULED in allowed_transitions(current.status))
    change = apply_patch(current, {"scheduled_date": day.isoformat()}, now=NOW)
    assert change.submission.status is Status.SCHEDULED
    assert change.submission.scheduled_date == day
    moved = day != current.scheduled_date
    assert change.scheduled == moved
    expected = current.schedule_sequence + (1 if moved and current.scheduled_date else 0)
    assert change.submission.schedule_sequence == expected


@given(submissions())
def test_scheduled_without_a_date_is_refused(current: Submission) -> None:
    assume(current.scheduled_date is None)
    assert "status" in errors_of(lambda: apply_patch(current, {"status": "scheduled"}, now=NOW))


@given(submissions())
def test_an_empty_patch_changes_nothing_and_emits_nothing(current: Submission) -> None:
    change = apply_patch(current, {}, now=NOW + timedelta(hours=1))
    assert not change.changed and change.submission == current
    assert submission_changed(change, now=NOW, choose=lambda a: a[0]) == []


@given(submissions(), dates)
def test_a_change_emits_updated_and_a_new_date_also_emits_scheduled(
    current: Submission, day: date
) -> None:
    assume(Status.SCHEDULED in allowed_transitions(current.status))
    change = apply_patch(
        current, {"scheduled_date": day.isoformat(), "speaker_name": "Someone New"}, now=NOW
    )
    kinds = [e.type for e in submission_changed(change, now=NOW, choose=lambda a: a[0])]
    expected = [EventType.SUBMISSION_UPDATED] + (
        [EventType.TALK_SCHEDULED] if change.scheduled else []
    )
    assert kinds == expected


def test_unknown_and_bad_patch_fields_are_all_reported() -> None:
    current = Submission.from_new(new_submission(fields(), mode=Mode.LIVE, now=NOW), 1)
    problems = errors_of(
        lambda: apply_patch(
            current, {"id": 5, "status": "done", "scheduled_date": "tomorrow"}, now=NOW
        )
    )
    assert set(problems) == {"id", "status", "scheduled_date"}


def test_declining_a_scheduled_talk_takes_it_off_the_schedule() -> None:
    current = Submission.from_new(new_submission(fields(), mode=Mode.LIVE, now=NOW), 1)
    scheduled = apply_patch(current, {"scheduled_date": "2026-03-18"}, now=NOW).submission
    declined = apply_patch(scheduled, {"status": "declined"}, now=NOW).submission
    assert (declined.status, declined.scheduled_date) == (Status.DECLINED, None)
    cleared = apply_patch(scheduled, {"scheduled_date": None}, now=NOW).submission
    assert (cleared.status, cleared.scheduled_date) == (Status.ACCEPTED, None)


@given(submissions())
def test_a_created_event_carries_the_submission_and_a_fresh_id(current: Submission) -> None:
    (event,) = submission_created(current, now=NOW, choose=lambda a: a[3])
    assert event.type is EventType.SUBMISSION_CREATED and event.mode is current.mode
    assert event.id.startswith("evt_") and len(event.id) == 28
    import json

    body = json.loads(event.body())
    assert body["event"] == "submission.created" and body["id"] == event.id
    assert body["data"]["id"] == current.id and body["timestamp"] == "2026-02-06T13:57:40Z"


@given(
    st.sampled_from(["speaker_name", "talk_context", "submitter_name", "discord_channel_id"]),
    st.text(max_size=5),
    st.text(max_size=5),
)
def test_a_nul_character_in_any_text_field_is_a_field_error(
    field: str, left: str, right: str
) -> None:
    form = fields(**{field: f"a{left}\x00{right}b"})
    assert "NUL" in errors_of(lambda: new_submission(form, mode=Mode.LIVE, now=NOW))[field]
    current = Submission.from_new(new_submission(fields(), mode=Mode.LIVE, now=NOW), 1)
    patch = {field: f"a{left}\x00{right}b"}
    assert "NUL" in errors_of(lambda: apply_patch(current, patch, now=NOW))[field]
