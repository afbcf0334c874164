from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.events import SUBSCRIBABLE, EventType
from connect.domain.keys import (
    ALL_SCOPES,
    NAME_MAX,
    ApiKey,
    NewApiKey,
    Scope,
    Token,
    generate_token,
    parse_duration,
    parse_grace_seconds,
    parse_name,
    parse_scopes,
    parse_token,
)
from connect.domain.mode import Mode
from connect.domain.requests.keys import KeyRequest
from connect.domain.webhooks import parse_events

ALNUM = string.digits + string.ascii_letters
secrets_ = st.text(alphabet=ALNUM, min_size=24, max_size=24)
scope_sets = st.frozensets(st.sampled_from(Scope))


@given(st.sampled_from(Mode), st.integers())
def test_a_generated_token_parses_back_to_itself(mode: Mode, seed: int) -> None:
    token = generate_token(mode, random.Random(seed).choice)
    text = str(token)
    assert text.startswith(f"rnc_{mode.value}_")
    assert len(text) == len(f"rnc_{mode.value}_") + 24
    assert parse_token(text) == token


@given(st.sampled_from(Mode), secrets_)
def test_the_key_id_is_the_mode_prefix_and_first_eight_characters(mode: Mode, secret: str) -> None:
    token = Token(mode, secret)
    assert token.key_id == f"rnc_{mode.value}_{secret[:8]}"
    assert str(token).startswith(token.key_id)


@given(st.sampled_from(Mode), secrets_)
def test_a_token_never_shows_its_secret_in_repr(mode: Mode, secret: str) -> None:
    assert secret not in repr(Token(mode, secret))


@given(st.text(max_size=60))
def test_parse_rejects_anything_that_is_not_exactly_a_token(text: str) -> None:
    token = parse_token(text)
    if token is not None:
        assert str(token) == text


@given(
    st.sampled_from(["rnc_live_", "rnc_test_", "rnc_prod_", "RNC_LIVE_", "rnc_live", "live_", ""]),
    st.text(alphabet=ALNUM + "_-=/ ", min_size=0, max_size=30),
)
def test_parse_accepts_only_the_two_prefixes_and_24_alphanumerics(prefix: str, rest: str) -> None:
    valid = (
        prefix in ("rnc_live_", "rnc_test_")
        and len(rest) == 24
        and rest.isalnum()
        and rest.isascii()
    )
    assert (parse_token(prefix + rest) is not None) == valid


@given(secrets_, st.sampled_from(["", " ", "\n", "x", "é"]))
def test_parse_rejects_a_token_with_anything_around_it(secret: str, extra: str) -> None:
    text = "rnc_live_" + secret
    if extra:
        assert parse_token(text + extra) is None
        assert parse_token(extra + text) is None


@given(st.lists(st.text(max_size=20), max_size=4))
def test_parse_scopes_accepts_only_known_scope_names(values: list[str]) -> None:
    known = {s.value for s in Scope}
    if values and all(v in known for v in values):
        assert {s.value for s in parse_scopes(values)} == set(values)
    else:
        with pytest.raises(ValidationFailed):
            parse_scopes(values)


@given(st.lists(st.sampled_from(list(EventType)) | st.text(max_size=20), max_size=4))
def test_parse_events_accepts_only_subscribable_names_and_names_every_other(
    values: list[str],
) -> None:
    allowed = {e.value for e in SUBSCRIBABLE}
    unknown = [v for v in values if v not in allowed]
    if values and not unknown:
        assert parse_events(values) == {EventType(v) for v in values}
        return
    with pytest.raises(ValidationFailed) as refused:
        parse_events(values)
    (error,) = refused.value.errors
    assert error.field == "events"
    assert all(repr(str(v)) in error.message for v in unknown)
    assert "webhook.test" not in error.message.split("allowed: ")[-1]


NAME_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=NAME_MAX + 5)


@given(NAME_TEXT | st.none() | st.integers())
def test_a_key_name_is_trimmed_text_of_one_to_name_max_characters_without_nul(
    value: object,
) -> None:
    trimmed = value.strip() if isinstance(value, str) else ""
    valid = 1 <= len(trimmed) <= NAME_MAX and "\x00" not in trimmed
    for parse in (parse_name, lambda v: KeyRequest(name=v, scopes=["keys:manage"]).name):
        if valid:
            assert parse(value) == trimmed
        else:
            with pytest.raises(ValidationFailed):
                parse(value)


NOW = datetime(2026, 2, 6, 13, 57, 40, tzinfo=UTC)


def key(**changes: object) -> ApiKey:
    fields: dict = dict(
        id=1,
        key_id="rnc_live_abcdefgh",
        key_hash="h",
        name="n",
        scopes=ALL_SCOPES,
        mode=Mode.LIVE,
        created_by="t",
        created_at=NOW,
    )
    fields.update(changes)
    return ApiKey(**fields)


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_a_key_is_usable_until_it_expires(offset: int) -> None:
    expiry = NOW + timedelta(seconds=offset)
    assert key(expires_at=expiry).is_usable(NOW) == (offset > 0)


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_a_revocation_takes_effect_at_its_time(offset: int) -> None:
    revoked = NOW + timedelta(seconds=offset)
    assert key(revoked_at=revoked).is_usable(NOW) == (offset > 0)


@given(st.integers(min_value=0, max_value=600))
def test_last_used_is_written_at_most_once_a_minute(seconds: int) -> None:
    used = key(last_used_at=NOW)
    assert used.needs_touch(NOW + timedelta(seconds=seconds)) == (seconds >= 60)
    assert key().needs_touch(NOW)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30d", 30 * 86400), ("12h", 43200), ("90m", 5400), ("2w", 1209600), ("45s", 45)],
)
def test_durations_read_like_people_write_them(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0d",
        "30",
        "d",
        "-1d",
        "1y",
        "1.5h",
        "30 d x",
        "36501d",
        "99999999999w",
        "9" * 5000 + "s",
    ],
)
def test_other_durations_are_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from("smhdw"))
def test_a_duration_is_refused_past_a_hundred_years_and_never_overflows(
    count: int, unit: str
) -> None:
    seconds = count * {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}[unit]
    if seconds <= 36_500 * 86_400:
        duration = parse_duration(f"{count}{unit}")
        assert duration == timedelta(seconds=seconds)
        assert (datetime(9899, 1, 1, tzinfo=UTC) + duration).year <= 9999
    else:
        with pytest.raises(ValidationFailed):
            parse_duration(f"{count}{unit}")


@given(st.one_of(st.integers(), st.none(), st.booleans(), st.text(max_size=5), st.floats()))
def test_grace_seconds_is_an_integer_from_zero_to_thirty_days(value: object) -> None:
    ok = value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2_592_000
    )
    if ok:
        assert parse_grace_seconds(value) == (86_400 if value is None else value)
    else:
        with pytest.raises(ValidationFailed):
            parse_grace_seconds(value)


@given(st.integers(1, 2**31), st.sampled_from(Mode), scope_sets.filter(bool))
def test_a_stored_key_keeps_every_field_it_was_issued_with(
    id: int, mode: Mode, scopes: frozenset[Scope]
) -> None:
    new = NewApiKey("rnc_live_abcdefgh", "h", "n", scopes, mode, "t", NOW, NOW + timedelta(1))
    stored = ApiKey.from_new(new, id)
    assert stored.id == id and stored.last_used_at is None and stored.revoked_at is None
    assert NewApiKey(**{a: getattr(stored, a) for a in attrs.fields_dict(NewApiKey)}) == new
