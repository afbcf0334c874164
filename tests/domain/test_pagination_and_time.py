from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.pagination import MAX_ID, decode_cursor, encode_cursor, page_of, parse_limit
from connect.domain.time import (
    EARLIEST,
    LATEST,
    RANGE_MESSAGE,
    OutOfRange,
    format_instant,
    parse_instant,
    parse_since,
)


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_a_cursor_decodes_to_the_id_it_encoded(last_id: int) -> None:
    assert decode_cursor(encode_cursor(last_id)) == last_id


@given(st.text(min_size=1, max_size=30))
def test_a_cursor_the_api_did_not_make_is_a_field_error(text: str) -> None:
    try:
        value = decode_cursor(text)
    except ValidationFailed as e:
        assert e.errors[0].field == "cursor"
    else:
        assert value is not None and value >= 0


@given(st.one_of(st.integers(), st.text(max_size=4), st.none()))
def test_limit_is_1_to_200_with_50_by_default(value: object) -> None:
    try:
        number = int(str(value))
    except ValueError:
        number = None
    if value is None or value == "":
        assert parse_limit(value) == 50
    elif number is not None and 1 <= number <= 200:
        assert parse_limit(value) == number
    else:
        with pytest.raises(ValidationFailed):
            parse_limit(value)


@given(
    st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=30),
    st.integers(1, 10),
)
def test_a_page_holds_at_most_limit_items_and_points_after_the_last(
    ids: list[int], limit: int
) -> None:
    rows = sorted(ids, reverse=True)[: limit + 1]
    page = page_of(rows, limit, lambda i: i)
    assert list(page.items) == rows[:limit]
    if len(rows) > limit:
        assert decode_cursor(page.next_cursor) == rows[limit - 1]
    else:
        assert page.next_cursor is None


@given(
    st.datetimes(
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=9, minutes=30))]
        )
    )
)
def test_instants_are_written_in_utc_with_z_and_read_back(moment: datetime) -> None:
    text = format_instant(moment)
    assert text.endswith("Z") and len(text) == 20
    assert parse_instant(text) == moment.astimezone(UTC).replace(microsecond=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-06", datetime(2026, 2, 6, tzinfo=UTC)),
        ("2026-02-06T13:57:40Z", datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)),
        ("2026-02-06T08:57:40-05:00", datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)),
    ],
)
def test_since_takes_a_date_or_a_datetime(text: str, expected: datetime) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01", "2026-02-30", "06/02/2026", ""])
def test_since_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_since(text)


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_ID + 1)))
def test_a_cursor_past_the_ids_sqlite_can_hold_is_a_field_error(last_id: int) -> None:
    # NOTE: built by hand: encode_cursor is only ever given stored ids.
    cursor = base64.urlsafe_b64encode(f"v1:{last_id}".encode()).decode().rstrip("=")
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(cursor)
    assert refused.value.errors[0].field == "cursor"


@pytest.mark.parametrize("number", ["\u00b2", "\u0661\u0662", "0" * 5000 + "1"])
def test_a_cursor_with_digits_python_reads_but_sql_does_not_is_refused(number: str) -> None:
    text = "v1:" + number.encode().decode("unicode_escape")
    cursor = base64.urlsafe_b64encode(text.encode()).decode()
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor)


_SPAN = (datetime(9999, 12, 31, 23, 59, 59, 999999) - datetime(1, 1, 1)).total_seconds()
offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))


@given(st.datetimes(), offsets)
def test_every_instant_since_accepts_has_a_utc_time_connect_can_write(
    local: datetime, offset: timezone
) -> None:
    text = local.replace(tzinfo=offset).isoformat()
    shift = offset.utcoffset(None).total_seconds()
    utc_seconds = (local - datetime(1, 1, 1)).total_seconds() - shift
    fits = 0 <= utc_seconds <= _SPAN
    try:
        moment = parse_since(text)
    except ValidationFailed as e:
        assert not fits
        assert e.errors[0].field == "since" and e.errors[0].message == RANGE_MESSAGE
    else:
        assert fits
        assert moment.tzinfo is UTC and EARLIEST <= moment <= LATEST.replace(microsecond=999999)
        assert format_instant(moment).endswith("Z")


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_an_offset_that_pushes_an_instant_out_of_the_calendar_is_out_of_range(text: str) -> None:
    with pytest.raises(OutOfRange):
        parse_instant(text)
    with pytest.raises(ValidationFailed) as refused:
        parse_since(text, "until")
    assert refused.value.errors[0].field == "until"
