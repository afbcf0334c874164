"""Scheduled talks as an iCalendar (RFC 5545) feed calendar clients subscribe to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import astuple, field, frozen
from icalendar import Calendar, Event, Timezone, vDuration

from connect.domain.mode import Mode
from connect.domain.submissions import Submission

PRODID: Final = "-//Rust NYC//Connect talk schedule//EN"
#: A host name (``CONNECT_CALENDAR_UID_HOST`` is read by the same rule).
HOST_NAME: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
# NOTE: RFC 5545 TEXT allows no control characters but HTAB (and newlines, which
# icalendar escapes as \n); anything else would make strict clients drop the feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# The VTIMEZONE covers this span; icalendar writes its transitions as compact RDATEs.
TIMEZONE_FIRST: Final = date(1970, 1, 1)
TIMEZONE_LAST: Final = date(2100, 1, 1)


def _zone(instance: object, attribute: object, value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name") from None


def _positive(instance: object, attribute: object, value: timedelta) -> None:
    if value <= timedelta(0):
        raise ValueError("must be a positive duration")


def _host(instance: object, attribute: object, value: str) -> None:
    if not HOST_NAME.fullmatch(value):
        raise ValueError(f"not a host name: {value!r}")


@frozen
class CalendarSettings:
    """How talks appear in calendars.

    Attributes:
        name: the calendar's name (``X-WR-CALNAME``).
        timezone: IANA zone of the meetups.
        start: local start time of a talk on its ``scheduled_date``.
        duration: how long a talk lasts.
        refresh: how often clients should fetch the feed again.
        uid_host: the stable right-hand side of ``UID:talk-<id>@<host>``. Changing it
            makes every subscriber see every talk twice, so set it once.
    """

    name: str = "Rust NYC talks"
    timezone: str = field(default="America/New_York", validator=_zone)
    start: time = time(18, 30)
    duration: timedelta = field(default=timedelta(minutes=30), validator=_positive)
    refresh: timedelta = field(default=timedelta(hours=1), validator=_positive)
    uid_host: str = field(default="rustnyc-talks.val.run", validator=_host)

    @property
    def key(self) -> str:
        """Every setting in one string, for entity tags."""
        # NOTE: read from the fields, so a setting added later changes the tags too.
        return "|".join(str(value) for value in astuple(self))


def clean_text(text: str) -> str:
    """``text`` as an iCalendar TEXT value can carry it: LF newlines, no controls."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def talk_uid(submission_id: int, settings: CalendarSettings) -> str:
    return f"talk-{submission_id}@{settings.uid_host}"


def calendar_name(settings: CalendarSettings, mode: Mode) -> str:
    return settings.name if mode is Mode.LIVE else f"{settings.name} (test mode)"


@lru_cache(maxsize=16)
def _vtimezone(tzid: str) -> str:
    # NOTE: slow (tens of ms), hence cached; the zone database does not change at runtime.
    zone = Timezone.from_tzid(tzid, first_date=TIMEZONE_FIRST, last_date=TIMEZONE_LAST)
    ical: bytes = zone.to_ical()
    text: str = ical.decode("utf-8")
    return text


def _header(settings: CalendarSettings, mode: Mode) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = calendar_name(settings, mode)
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.timezone)
    calendar.add("refresh-interval", settings.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(settings.refresh))
    text: str = calendar.to_ical().decode("utf-8")
    end = "END:VCALENDAR\r\n"
    assert text.endswith(end)
    return text[: -len(end)]


def talk_event(submission: Submission, settings: CalendarSettings) -> Event:
    """The VEVENT of one scheduled talk.

    ``DTSTAMP`` is the talk's last change (the feed has no ``METHOD``, so RFC 5545
    makes it the same as ``LAST-MODIFIED``), which keeps the feed's bytes, and so its
    entity tag, the same until a talk changes.
    """
    assert submission.scheduled_date is not None
    start = datetime.combine(
        submission.scheduled_date, settings.start, tzinfo=ZoneInfo(settings.timezone)
    )
    event = Event()
    event.add("uid", talk_uid(submission.id, settings))
    event.add("dtstamp", submission.updated_at)
    event.add("created", submission.created_at)
    event.add("last-modified", submission.updated_at)
    event.add("sequence", submission.schedule_sequence)
    event.add("dtstart", start)
    event.add("dtend", start + settings.duration)
    event.add("summary", clean_text(f"Talk: {submission.speaker_name}"))
    event.add("description", clean_text(submission.talk_context))
    event.add("status", "CONFIRMED")
    return event


def ics_chunks(
    submissions: Iterable[Submission], settings: CalendarSettings, *, mode: Mode = Mode.LIVE
) -> Iterator[str]:
    """The feed: calendar properties and the zone's VTIMEZONE, then one VEVENT per
    scheduled talk (submissions without a date are skipped), then the end.
    """
    yield _header(settings, mode) + _vtimezone(settings.timezone)
    for submission in submissions:
        if submission.scheduled_date is not None:
            yield talk_event(submission, settings).to_ical().decode("utf-8")
    yield "END:VCALENDAR\r\n"
