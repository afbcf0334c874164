"""The event feed's rules: the types filter, the page validator and scrubbing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.events import EventType, submission_changed, submission_deleted
from connect.domain.feed import (
    FEED_TYPES,
    body_subject,
    feed_etag,
    parse_types,
    scrub_body,
    subject,
)
from connect.domain.mode import Mode
from connect.domain.submissions import Change
from tests.domain.strategies import instants, submissions

feed_types = st.frozensets(st.sampled_from(sorted(FEED_TYPES)), min_size=1)
positions = st.none() | st.integers(min_value=1, max_value=2**63 - 1)


def choose(alphabet: str) -> str:
    return alphabet[0]


@given(feed_types, st.sampled_from([",", ", ", " ,"]))
def test_the_types_filter_reads_back_what_was_written(types, comma) -> None:
    assert parse_types(comma.join(t.value for t in sorted(types))) == types


@given(
    st.text(max_size=40).filter(
        lambda t: "," not in t and t.strip() and t.strip() not in {f.value for f in FEED_TYPES}
    )
)
def test_a_name_that_is_no_event_type_is_refused_as_a_field_problem(name) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_types(name)
    assert refused.value.errors[0].field == "types"


def test_a_near_miss_gets_a_guess_and_the_test_send_is_not_in_the_feed() -> None:
    with pytest.raises(ValidationFailed, match=r"did you mean 'talk\.scheduled'"):
        parse_types("talk.schedule")
    with pytest.raises(ValidationFailed):
        parse_types(EventType.WEBHOOK_TEST.value)
    assert parse_types("") is None and parse_types(None) is None


@given(st.sampled_from(Mode), st.none() | feed_types, positions, st.integers(1, 200), positions)
def test_the_validator_changes_exactly_when_the_newest_event_changes(
    mode, types, after, limit, last
) -> None:
    same = feed_etag(mode, types, after, limit, last)
    assert same == feed_etag(mode, types, after, limit, last)
    newer = (last or 0) + 1
    assert feed_etag(mode, types, after, limit, newer) != same
    other = Mode.TEST if mode is Mode.LIVE else Mode.LIVE
    assert feed_etag(other, types, after, limit, last) != same


@given(submissions(), instants)
def test_a_scrubbed_body_keeps_its_id_type_and_time_and_nothing_of_the_submission(
    submission, now
) -> None:
    change = Change(submission=submission, changed=True, scheduled=True)
    for event in submission_changed(change, now=now, choose=choose):
        scrubbed = scrub_body(event.body(), submission.id)
        document, original = json.loads(scrubbed), json.loads(event.body())
        assert document == {**original, "data": {"id": submission.id}}
        assert body_subject(scrubbed) == subject(event) == submission.id
        assert scrub_body(scrubbed, submission.id) == scrubbed


@given(st.binary(max_size=60), st.integers(1, 10**9))
def test_scrubbing_anything_that_is_not_an_event_keeps_nothing_of_it(body, id) -> None:
    scrubbed = json.loads(scrub_body(body, id))
    assert set(scrubbed) <= {"id", "event", "timestamp", "data"}
    if "data" in scrubbed:
        assert scrubbed["data"] == {"id": id}


@given(submissions(), instants)
def test_submission_deleted_carries_the_id_alone(submission, now) -> None:
    (event,) = submission_deleted(submission, now=now, choose=choose)
    assert event.type is EventType.SUBMISSION_DELETED and event.mode is submission.mode
    assert json.loads(event.body())["data"] == {"id": submission.id}
