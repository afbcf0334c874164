"""Properties of idempotency keys and request fingerprints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from connect.domain.idempotency import (
    MAX_LENGTH,
    WINDOW,
    IdempotencyRecord,
    oldest_kept,
    parse_idempotency_key,
    request_fingerprint,
)

VISIBLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
keys = st.text(VISIBLE, min_size=1, max_size=MAX_LENGTH)
T0 = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


def quoted(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


@given(keys)
def test_a_key_parses_to_itself_bare_or_as_a_quoted_string(key: str) -> None:
    if not (len(key) >= 2 and key[0] == key[-1] == '"'):  # else it reads as quoted
        assert parse_idempotency_key(key) == key
    assert parse_idempotency_key(quoted(key)) == key


@given(
    st.one_of(
        st.just(""),
        st.text(VISIBLE, min_size=MAX_LENGTH + 1, max_size=MAX_LENGTH + 40),
        st.tuples(keys, st.characters(blacklist_categories=["Cs"]), keys)
        .filter(lambda t: not "!" <= t[1] <= "~" and not t[1].isspace())
        .map(lambda t: t[0] + t[1] + t[2]),
        st.tuples(keys, keys).map(lambda t: f"{t[0]} {t[1]}"),
    )
)
def test_anything_but_1_to_255_visible_ascii_characters_is_refused(header: str) -> None:
    with pytest.raises(InvalidIdempotencyKey):
        parse_idempotency_key(header)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=10), JSON, max_size=6), st.randoms())
def test_the_fingerprint_ignores_member_order(fields: dict, random) -> None:
    items = list(fields.items())
    random.shuffle(items)
    assert request_fingerprint(dict(items)) == request_fingerprint(fields)


@given(st.dictionaries(st.text(max_size=10), JSON, min_size=1, max_size=6), JSON)
def test_the_fingerprint_changes_when_any_value_changes(fields: dict, other) -> None:
    name = sorted(fields)[0]
    if other == fields[name] or type(other) is not type(fields[name]):
        other = [fields[name]]
    changed = {**fields, name: other}
    assert request_fingerprint(changed) != request_fingerprint(fields)


@given(st.integers(0, 48 * 3600))
def test_a_record_is_kept_for_24_hours_and_not_a_second_longer(seconds: int) -> None:
    later = T0 + timedelta(seconds=seconds)
    assert (oldest_kept(later) > T0) == (later - T0 > WINDOW)


def test_a_record_answers_only_the_same_request() -> None:
    record = IdempotencyRecord(1, "k", request_fingerprint({"a": 1}), 7, T0)
    record.ensure_same_request(request_fingerprint({"a": 1}))
    with pytest.raises(IdempotencyKeyReused):
        record.ensure_same_request(request_fingerprint({"a": 2}))
