from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.escaping import is_unsafe
from connect.domain.feed import FEED_TYPES, parse_types
from connect.domain.listening import (
    Position,
    event_summary,
    forward_line,
    raw_items,
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)
OBJECTS = st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=4)
SPELLINGS = st.sampled_from(
    [
        {"separators": (",", ":"), "ensure_ascii": False},
        {"separators": (", ", ": ")},
        {"indent": 2},
        {"indent": "\t", "ensure_ascii": False},
    ]
)
CURSORS = st.none() | st.text(alphabet="abcdefXYZ0123456789_-", min_size=1, max_size=8)
TYPES = st.frozensets(st.sampled_from(sorted(FEED_TYPES)), min_size=1)


@given(st.lists(OBJECTS, max_size=5), SPELLINGS, SPELLINGS, st.booleans())
def test_raw_items_are_each_item_exactly_as_the_page_spells_it(items, inner, outer, data_last):
    spelled = [json.dumps(item, **inner) for item in items]
    other = json.dumps({"x": [1, {"data": 2}]}, **outer)[1:-1]
    data = '"data": [' + ",\n ".join(spelled) + "]"
    page = "{" + (other + ", " + data if data_last else data + ", " + other) + "}"
    assert raw_items(page) == spelled
    assert [json.loads(s) for s in raw_items(page)] == items


@pytest.mark.parametrize(
    "page", ["", "[]", "{}", '{"data": 3}', '{"next_cursor": null}', '{"data": [1']
)
def test_raw_items_refuses_what_is_no_feed_page(page):
    with pytest.raises(ValueError):
        raw_items(page)


@given(TYPES, st.lists(st.sampled_from([" ", ""]), min_size=2, max_size=2))
def test_an_event_filter_reads_back_the_types_it_names(types, pads):
    text = ",".join(pads[0] + t.value + pads[1] for t in sorted(types))
    assert parse_types(text, "events") == types


@given(st.text(max_size=40).filter(lambda t: t.strip() and "," not in t))
def test_an_event_filter_refuses_a_name_that_is_no_feed_type(name):
    if name.strip() in {t.value for t in FEED_TYPES}:
        return
    with pytest.raises(ValidationFailed) as refused:
        parse_types(f"talk.scheduled,{name}", "events")
    assert refused.value.errors[0].field == "events"


def test_an_event_filter_guesses_and_refuses_what_the_feed_never_carries():
    with pytest.raises(ValidationFailed, match=r"did you mean 'talk\.scheduled'"):
        parse_types("talk.schedule", "events")
    with pytest.raises(ValidationFailed):
        parse_types("webhook.test", "events")
    assert parse_types(None, "events") is None
    assert parse_types(" ", "events") is None


@given(CURSORS, CURSORS, CURSORS, CURSORS)
def test_the_position_keeps_its_tag_only_while_the_cursor_stays(after, etag, next_cursor, new_tag):
    position = Position(after=after, etag=etag)
    moved = position.advance(next_cursor, new_tag)
    assert moved.after == (next_cursor if next_cursor is not None else after)
    assert moved.etag == (new_tag if moved.after == after else None)


@given(st.text(max_size=30), st.text(max_size=30), st.none() | st.integers(100, 599), st.text())
def test_a_forward_line_is_one_safe_line_with_the_answer(event_type, event_id, status, error):
    at = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)
    line = forward_line(at, event_type, event_id, status, None if status else error)
    assert line.startswith("2026-02-06T13:57:40Z  --> ")
    assert not any(is_unsafe(c) for c in line.replace("\\", ""))
    assert (f"[{status}]" in line) if status is not None else ("[failed: " in line)


def test_an_event_summary_is_its_type_and_id():
    assert event_summary('{"id": "evt_1", "event": "talk.scheduled"}') == (
        "talk.scheduled",
        "evt_1",
    )
    assert event_summary("[1]") == ("", "")
