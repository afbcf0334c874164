"""Unknown fields are refused by name, with a did-you-mean that is always a real field."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect.domain.fields import MAX_LISTED, suggest, unknown_fields
from connect.domain.requests.keys import KeyRequest
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.requests.webhooks import WebhookRegistration


def names_of(shape: type) -> frozenset[str]:
    return frozenset(a.name for a in attrs.fields(shape))


CREATABLE = names_of(SubmissionFields)
PATCHABLE = names_of(SubmissionPatch)
CREATION_FIELDS = names_of(KeyRequest)
REGISTRATION_FIELDS = names_of(WebhookRegistration)

FIELD_SETS = [CREATABLE, PATCHABLE, CREATION_FIELDS, REGISTRATION_FIELDS, frozenset()]
allowed_sets = st.one_of(
    st.sampled_from(FIELD_SETS),
    st.frozensets(st.text(min_size=1, max_size=20), max_size=8),
)
names = st.text(max_size=30)


@given(allowed_sets, st.data())
def test_a_body_of_known_fields_is_never_refused(
    allowed: frozenset[str], data: st.DataObject
) -> None:
    fields = data.draw(st.lists(st.sampled_from(sorted(allowed)), unique=True)) if allowed else []
    assert unknown_fields(fields, allowed) == []


@given(allowed_sets, st.lists(names, unique=True, max_size=MAX_LISTED), st.data())
def test_every_unknown_field_is_refused_by_name(
    allowed: frozenset[str], extra: list[str], data: st.DataObject
) -> None:
    unknown = [n for n in extra if n not in allowed]
    known = data.draw(st.lists(st.sampled_from(sorted(allowed)), unique=True)) if allowed else []
    fields = known + unknown
    assert [e.field for e in unknown_fields(fields, allowed)] == unknown


@given(allowed_sets, names)
def test_a_suggestion_is_always_an_allowed_name(allowed: frozenset[str], name: str) -> None:
    guess = suggest(name, allowed)
    assert guess is None or guess in allowed
    for error in unknown_fields([name], allowed):
        if "did you mean" in error.message:
            assert error.message.endswith(f"did you mean {guess!r}?")


@given(
    st.lists(
        names.filter(lambda n: n not in CREATABLE),
        unique=True,
        min_size=MAX_LISTED + 1,
        max_size=200,
    )
)
def test_a_body_of_many_unknown_fields_names_the_first_and_counts_the_rest(
    fields: list[str],
) -> None:
    errors = unknown_fields(fields, CREATABLE)
    assert [e.field for e in errors] == fields[: MAX_LISTED + 1]
    more = len(fields) - MAX_LISTED - 1
    assert (f"nor are the {more} fields after it" in errors[-1].message) == (more > 0)


@pytest.mark.parametrize(
    ("typo", "allowed", "meant"),
    [
        ("talkContext", CREATABLE, "talk_context"),
        ("sheduled_date", PATCHABLE, "scheduled_date"),
        ("speaker-name", CREATABLE, "speaker_name"),
        ("SCOPES", CREATION_FIELDS, "scopes"),
        ("event", REGISTRATION_FIELDS, "events"),
        ("talk_context", frozenset({"speakerName", "talkContext"}), "talkContext"),
    ],
)
def test_a_close_name_or_another_spelling_is_suggested(
    typo: str, allowed: frozenset[str], meant: str
) -> None:
    (error,) = unknown_fields([typo], allowed)
    assert error.field == typo and error.message.endswith(f"did you mean {meant!r}?")


def test_a_name_close_to_nothing_lists_the_known_fields() -> None:
    (error,) = unknown_fields(["colour"], REGISTRATION_FIELDS)
    assert error.message == "is not a known field (known fields: events, url)"
