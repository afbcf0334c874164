from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.pagination import decode_cursor, encode_cursor, page_of, parse_limit
from connect.domain.time import format_instant, parse_instant, parse_since


@given(st.integers(min_value=0, max_value=2**63 - 1))
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
