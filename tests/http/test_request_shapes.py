"""Request bodies are structured once: every broken field is reported in one 422, each
with a JSON Pointer, and a valid body always structures (with its text trimmed)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from falcon import testing
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http.structure import FORM_MEMBERS, Members, member_names, structure
from connect.bootstrap import Connect
from connect.domain.errors import ValidationFailed
from connect.domain.fields import MAX_LISTED
from connect.domain.keys import MAX_GRACE_SECONDS, Scope
from connect.domain.keys import NAME_MAX as KEY_NAME_MAX
from connect.domain.requests.keys import KeyRequest, NoFields, SecretRotation
from connect.domain.requests.rules import UNSET
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.requests.webhooks import WebhookPatch, WebhookRegistration
from connect.domain.submissions import CONTEXT_MAX, DISCORD_FIELD_MAX, NAME_MAX, Status

pad = st.text(alphabet=" \t\n", max_size=3)


def text(maximum: int) -> st.SearchStrategy[str]:
    """Text that is valid once trimmed: 1..maximum visible characters, padded."""
    core = st.text(
        st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters="\x00"),
        min_size=1,
        max_size=min(maximum, 40),
    )
    return st.tuples(pad, core, pad).map("".join)


events = st.lists(
    st.sampled_from(["submission.created", "submission.updated", "talk.scheduled"]),
    min_size=1,
    unique=True,
)
link = st.just("https://discord.gg/rust")

# shape, its members, a valid body, and bad values for each member (a wrong JSON type
# and a broken rule), as the API receives them.
SHAPES: list[tuple[type, Members | None, st.SearchStrategy[dict[str, Any]], dict[str, list[Any]]]]
SHAPES = [
    (
        SubmissionFields,
        None,
        st.fixed_dictionaries(
            {"speaker_name": text(NAME_MAX), "talk_context": text(CONTEXT_MAX)},
            optional={"discord_channel_id": text(DISCORD_FIELD_MAX), "discord_invite_link": link},
        ),
        {
            "speaker_name": [None, 7, " ", "x" * (NAME_MAX + 1), "a\x00b"],
            "talk_context": [["talk"], "", "y" * (CONTEXT_MAX + 1)],
            "is_on_behalf": ["yes", 1],
            "discord_invite_link": ["http://discord.gg/x", 5],
            "discord_channel_id": [{"id": 1}, "z" * (DISCORD_FIELD_MAX + 1)],
        },
    ),
    (
        SubmissionFields,
        FORM_MEMBERS,
        st.fixed_dictionaries({"speakerName": text(NAME_MAX), "talkContext": text(CONTEXT_MAX)}),
        {
            "speakerName": [None, False, "  "],
            "talkContext": [3.5, "y" * (CONTEXT_MAX + 1)],
            "isOnBehalf": ["true"],
        },
    ),
    (
        SubmissionPatch,
        None,
        st.fixed_dictionaries(
            {},
            optional={
                "speaker_name": text(NAME_MAX),
                "status": st.sampled_from(list(Status)).map(str),
                "scheduled_date": st.dates().map(str) | st.none(),
            },
        ),
        {
            "speaker_name": [None, "", 12],
            "status": ["done", None, 3],
            "scheduled_date": ["tomorrow", 20260318, "2026-02-30"],
            "is_on_behalf": [None, "no"],
        },
    ),
    (
        WebhookRegistration,
        None,
        st.fixed_dictionaries({"url": st.just("https://hooks.example.org/in"), "events": events}),
        {
            "url": [None, "http://hooks.example.org/", "https://u:p@example.org/", 42],
            "events": [[], ["nope"], "submission.created", None],
        },
    ),
    (
        WebhookPatch,
        None,
        st.fixed_dictionaries(
            {}, optional={"events": events, "active": st.booleans(), "api_key_id": st.just(2)}
        ),
        {"active": ["yes", None], "api_key_id": [0, True, "2", 2**63], "events": [[]]},
    ),
    (
        KeyRequest,
        None,
        st.fixed_dictionaries(
            {"name": text(KEY_NAME_MAX), "scopes": st.just([Scope.SUBMISSIONS_READ.value])},
            optional={"mode": st.sampled_from(["live", "test"])},
        ),
        {
            "name": ["", None, "n" * (KEY_NAME_MAX + 1)],
            "scopes": [[], ["everything"], "keys:manage"],
            "mode": ["prod", 1],
            "expires_at": ["soon", 5, "9999-12-31T23:59:59-23:59"],
        },
    ),
    (
        SecretRotation,
        None,
        st.fixed_dictionaries({}, optional={"grace_seconds": st.integers(0, MAX_GRACE_SECONDS)}),
        {"grace_seconds": [-1, MAX_GRACE_SECONDS + 1, True, "60", 1.5]},
    ),
]
IDS = ["new-submission", "form", "submission-patch", "webhook", "webhook-patch", "key", "rotation"]


@pytest.mark.parametrize(("shape", "members", "valid", "bad"), SHAPES, ids=IDS)
@given(data=st.data())
def test_a_valid_body_structures_and_says_what_it_said(
    shape: type, members: Members | None, valid: Any, bad: dict[str, list[Any]], data: Any
) -> None:
    body = data.draw(valid)
    value = structure(body, shape, members)
    attribute = {member: name for name, member in member_names(shape, members).items()}
    for member, sent in body.items():
        got = getattr(value, attribute[member])
        if isinstance(sent, str):
            assert str(got) == sent.strip(), "text is trimmed, names read into enums"
        elif isinstance(sent, list):
            assert sorted(map(str, got)) == sorted(sent)
        else:
            assert got == sent and got is not UNSET
    assert structure(body, shape, members) == value, "structuring is deterministic"


@pytest.mark.parametrize(("shape", "members", "valid", "bad"), SHAPES, ids=IDS)
@given(data=st.data())
def test_every_broken_field_is_reported_at_once_by_its_member_name(
    shape: type, members: Members | None, valid: Any, bad: dict[str, list[Any]], data: Any
) -> None:
    broken = data.draw(st.sets(st.sampled_from(sorted(bad)), min_size=1))
    body = {**data.draw(valid), **{m: data.draw(st.sampled_from(bad[m])) for m in broken}}
    with pytest.raises(ValidationFailed) as refused:
        structure(body, shape, members)
    assert {e.field for e in refused.value.errors} == broken


@pytest.mark.parametrize(("shape", "members", "valid", "bad"), SHAPES, ids=IDS)
@given(data=st.data())
def test_unknown_members_are_refused_by_name(
    shape: type, members: Members | None, valid: Any, bad: dict[str, list[Any]], data: Any
) -> None:
    known = set(member_names(shape, members).values())
    names = st.text(min_size=1, max_size=12).filter(lambda n: n not in known)
    unknown = data.draw(st.sets(names, max_size=MAX_LISTED))
    body = {**data.draw(valid), **dict.fromkeys(unknown, 1)}
    if not unknown:
        structure(body, shape, members)
        return
    with pytest.raises(ValidationFailed) as refused:
        structure(body, shape, members)
    assert {e.field for e in refused.value.errors} == unknown


def test_a_body_that_takes_no_fields_refuses_any() -> None:
    assert structure({}, NoFields) == NoFields()
    with pytest.raises(ValidationFailed) as refused:
        structure({"force": True}, NoFields)
    assert refused.value.errors[0].message == "is not a known field (this request takes none)"


def test_library_callers_meet_the_same_rules_field_by_field() -> None:
    assert SubmissionFields(" Ann ", "Async").speaker_name == "Ann"
    assert attrs.evolve(SubmissionPatch(), status="accepted").status is Status.ACCEPTED
    with pytest.raises(ValidationFailed) as refused:
        SubmissionFields("Ann", "Async", is_on_behalf=True)
    assert refused.value.errors[0].field == "submitter_name"


def test_several_bad_fields_are_one_422_listing_each_with_a_pointer(
    client: testing.TestClient, connect: Connect, organizer: str
) -> None:
    auth = {"Authorization": f"Bearer {organizer}"}
    body = {"speaker_name": " ", "talk_context": 5, "is_on_behalf": "no", "colour": "red"}
    reply = client.simulate_post("/api/v1/submissions", headers=auth, json=body)
    assert reply.status_code == 422
    errors = reply.json["errors"]
    assert [(e["field"], e["pointer"]) for e in errors] == [
        ("colour", "/colour"),
        ("speaker_name", "/speaker_name"),
        ("talk_context", "/talk_context"),
        ("is_on_behalf", "/is_on_behalf"),
    ]
    assert all(e["detail"] == e["message"] for e in errors)
    listed = client.simulate_get("/api/v1/submissions", headers=auth)
    assert listed.json["data"] == [], "nothing is stored half-way"


def test_a_pointer_escapes_the_member_name_as_rfc_6901_says(
    client: testing.TestClient,
) -> None:
    reply = client.simulate_post("/api/submissions", json={"a/b~c": 1, "speakerName": "Ann"})
    pointers = {e["field"]: e["pointer"] for e in reply.json["errors"]}
    assert pointers == {"a/b~c": "/a~1b~0c", "talkContext": "/talkContext"}


def test_a_rule_between_fields_is_reported_with_the_broken_fields() -> None:
    body = {"speakerName": " ", "talkContext": "Ownership", "isOnBehalf": True}
    with pytest.raises(ValidationFailed) as refused:
        structure(body, SubmissionFields, FORM_MEMBERS)
    assert [e.field for e in refused.value.errors] == ["speakerName", "submitterName"]
    body = {"speakerName": "Ann", "talkContext": "Ownership", "isOnBehalf": True}
    with pytest.raises(ValidationFailed) as refused:
        structure({**body, "submitterName": "s" * (NAME_MAX + 1)}, SubmissionFields, FORM_MEMBERS)
    assert [e.field for e in refused.value.errors] == ["submitterName"], "reported once"
