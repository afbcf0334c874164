from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from connect.domain.exports.ics import CalendarSettings, clean_text, ics_chunks
from connect.domain.mode import Mode
from connect.domain.submissions import Submission
from tests.domain.export_strategies import make_submission, submission_lists

settings_strategy = st.builds(
    CalendarSettings,
    name=st.sampled_from(["Rust NYC talks", 'Talks, "Rust"; NYC']),
    timezone=st.sampled_from(["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata"]),
    start=st.times(min_value=time(0, 0), max_value=time(23, 0)).map(
        lambda t: t.replace(second=0, microsecond=0)
    ),
    duration=st.integers(min_value=1, max_value=240).map(lambda m: timedelta(minutes=m)),
    refresh=st.integers(min_value=1, max_value=1440).map(lambda m: timedelta(minutes=m)),
    uid_host=st.sampled_from(["rustnyc-talks.val.run", "example.org"]),
)


def parse(rows: list[Submission], settings: CalendarSettings, mode: Mode = Mode.LIVE) -> Calendar:
    return Calendar.from_ical("".join(ics_chunks(rows, settings, mode=mode)).encode())


@given(submission_lists, settings_strategy)
def test_the_feed_parses_back_to_the_same_talks_dates_uids_and_sequences(
    rows: list[Submission], settings: CalendarSettings
) -> None:
    calendar = parse(rows, settings)
    scheduled = [s for s in rows if s.scheduled_date is not None]
    events = calendar.walk("VEVENT")
    assert len(events) == len(scheduled)
    zone = ZoneInfo(settings.timezone)
    for event, talk in zip(events, scheduled, strict=True):
        assert talk.scheduled_date is not None
        start = datetime.combine(talk.scheduled_date, settings.start, tzinfo=zone)
        assert str(event["UID"]) == f"talk-{talk.id}@{settings.uid_host}"
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTSTART").tzinfo.key == settings.timezone
        assert event.decoded("DTEND") - event.decoded("DTSTART") == settings.duration
        assert int(event["SEQUENCE"]) == talk.schedule_sequence
        assert event.decoded("DTSTAMP") == talk.updated_at
        assert str(event["SUMMARY"]) == clean_text(f"Talk: {talk.speaker_name}")
        assert str(event["DESCRIPTION"]) == clean_text(talk.talk_context)


@given(submission_lists, settings_strategy)
def test_the_feed_names_itself_carries_its_zone_and_asks_to_be_refreshed(
    rows: list[Submission], settings: CalendarSettings
) -> None:
    calendar = parse(rows, settings)
    assert str(calendar["X-WR-CALNAME"]) == settings.name
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.decoded("REFRESH-INTERVAL") == settings.refresh
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [settings.timezone]


@given(submission_lists)
def test_the_same_talks_always_give_the_same_bytes(rows: list[Submission]) -> None:
    settings = CalendarSettings()
    assert "".join(ics_chunks(rows, settings)) == "".join(ics_chunks(list(rows), settings))


def test_a_reschedule_shows_as_a_higher_sequence_under_the_same_uid() -> None:
    from datetime import date

    first = make_submission(5, scheduled_date=date(2026, 3, 18), schedule_sequence=0)
    moved = make_submission(5, scheduled_date=date(2026, 4, 15), schedule_sequence=1)
    before = parse([first], CalendarSettings()).walk("VEVENT")[0]
    after = parse([moved], CalendarSettings()).walk("VEVENT")[0]
    assert before["UID"] == after["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").date() == date(2026, 4, 15)


def test_a_test_mode_feed_says_so_in_its_name() -> None:
    calendar = parse([], CalendarSettings(), Mode.TEST)
    assert str(calendar["X-WR-CALNAME"]) == "Rust NYC talks (test mode)"


def test_lines_are_crlf_and_folded_to_75_octets() -> None:
    talk = make_submission(scheduled_date=datetime(2026, 3, 18).date(), talk_context="é" * 400)
    text = "".join(ics_chunks([talk], CalendarSettings()))
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "\n" not in text.replace("\r\n", "")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        CalendarSettings(timezone="Mars/Olympus_Mons")


@given(settings_strategy, settings_strategy)
def test_settings_share_an_entity_tag_key_exactly_when_they_are_the_same(
    one: CalendarSettings, other: CalendarSettings
) -> None:
    assert (one.key == other.key) is (one == other)
