"""The component schemas are generated from the classes the code structures bodies into
and renders answers through: a schema takes what its shape takes, and its example is
an answer the code could give."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from attrs import fields
from falcon import testing
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http import create_app
from connect.adapters.http.openapi import build_document
from connect.adapters.http.openapi.documents import SHAPES
from connect.adapters.http.routes import ROUTES
from connect.adapters.http.structure import Members, structure
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES, ApiKey
from connect.domain.metrics import TARGETS
from connect.domain.representation import DOCUMENT_FIELDS
from connect.domain.requests.webhooks import RecoveryRequest
from connect.presentation import document
from connect.presentation.keys import KeyDocument
from tests.http.test_request_shapes import IDS
from tests.http.test_request_shapes import SHAPES as BODIES

DOCUMENT = build_document("0.0.0", ROUTES)
COMPONENTS = DOCUMENT["components"]["schemas"]
# NOTE: the request components, in the order of test_request_shapes' bodies.
REQUESTS = ["NewSubmission", "SpeakerForm", "SubmissionPatch", "NewWebhook", "WebhookPatch",
            "NewKey", "Rotation"]  # fmt: skip


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": DOCUMENT["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_every_example_is_valid_by_its_own_schema(name: str) -> None:
    for example in COMPONENTS[name].get("examples", []):
        _validator(name).validate(example)


def test_every_generated_component_has_an_example() -> None:
    generated = [*SHAPES.values(), "SubmissionDetail", "SpeakerForm", "KeyList", "AuditList"]
    assert all(COMPONENTS[name]["examples"] for name in generated)


@pytest.mark.parametrize(
    ("request_shape", "name"), list(zip(BODIES, REQUESTS, strict=True)), ids=IDS
)
@given(data=st.data())
def test_a_request_schema_takes_what_its_shape_takes_and_no_other_member(
    request_shape: tuple[type, Members | None, Any, Any], name: str, data: Any
) -> None:
    shape, members, valid, _ = request_shape
    body = data.draw(valid)
    structure(body, shape, members)
    validator = _validator(name)
    validator.validate(body)
    assert not validator.is_valid({**body, "surplus": 1})


@given(
    since=st.dates().map(str) | st.just("2026-02-06T09:00:00Z"),
    until=st.none() | st.just("2026-02-06T13:00:00+01:00"),
)
def test_the_recovery_window_is_read_as_text_as_its_metadata_says(
    since: str, until: str | None
) -> None:
    body = {"since": since, "until": until}
    structure(body, RecoveryRequest)
    _validator("RecoveryWindow").validate(body)
    assert not _validator("RecoveryWindow").is_valid({**body, "window": 1})


def test_a_patch_documents_no_required_member_so_an_empty_patch_is_valid() -> None:
    for name in ("SubmissionPatch", "WebhookPatch"):
        assert COMPONENTS[name]["required"] == []
        assert "minProperties" not in COMPONENTS[name]
        _validator(name).validate({})


def test_the_submission_component_lists_the_public_fields_and_the_detail_adds_its_moves() -> None:
    assert list(COMPONENTS["Submission"]["properties"]) == list(DOCUMENT_FIELDS)
    assert COMPONENTS["Submission"]["examples"][0] == COMPONENTS["Event"]["examples"][0]["data"]
    detail = COMPONENTS["SubmissionDetail"]["properties"]
    assert list(detail) == [*DOCUMENT_FIELDS, "allowed_transitions"]


def test_the_targets_have_one_member_per_target() -> None:
    targets = COMPONENTS["Metrics"]["properties"]["targets"]
    assert list(targets["properties"]) == list(TARGETS) == targets["required"]


def test_a_key_is_rendered_with_every_field_but_its_hash(memory_connect: Connect) -> None:
    issued = memory_connect.keys.create(name="bot", scopes=ALL_SCOPES, created_by="t")
    rendered = document(issued.key)
    # NOTE: every field of the key but its hash, in the document's own order (id first).
    assert set(rendered) == {a.name for a in fields(ApiKey)} - {"key_hash"}
    assert list(rendered) == [a.name for a in fields(KeyDocument)]
    assert issued.key.key_hash not in json.dumps(rendered)
    _validator("Key").validate(rendered)


def test_the_issued_key_answer_is_the_key_and_its_token_once(memory_connect: Connect) -> None:
    client = testing.TestClient(create_app(memory_connect))
    token = memory_connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="t").token
    reply = client.simulate_post(
        "/api/v1/keys",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "bot", "scopes": ["submissions:read"]},
    )
    assert reply.status_code == 201
    with memory_connect.uow(write=False) as stores:
        key = stores.keys.find(reply.json["key_id"])
    assert reply.json == {**document(key), "token": reply.json["token"]}
    assert reply.json["token"].startswith(key.key_id)
    _validator("IssuedKey").validate(reply.json)


def test_the_metrics_document_is_the_documented_one(memory_connect: Connect) -> None:
    memory_connect.keys.create(name="bot", scopes=ALL_SCOPES, created_by="t")
    metrics = document(memory_connect.metrics.compute(None))
    _validator("Metrics").validate(metrics)
    assert metrics["api_keys_created"] == 1
    assert metrics["targets"]["api_keys_created"] == {"op": ">=", "value": 10, "met": False}


@pytest.mark.parametrize(
    ("name", "body", "member"),
    [
        (
            "NewWebhook",
            {"url": "https://example.com/h", "events": ["talk.scheduled"] * 2},
            "events",
        ),
        ("WebhookPatch", {"events": ["talk.scheduled"] * 2}, "events"),
        ("NewKey", {"name": "bot", "scopes": ["submissions:read"] * 2}, "scopes"),
    ],
)
def test_a_body_may_repeat_a_set_member_as_the_shape_allows(
    name: str, body: dict[str, Any], member: str
) -> None:
    (shape,) = [cls for cls, component in SHAPES.items() if component == name]
    assert len(getattr(structure(body, shape), member)) == 1
    _validator(name).validate(body)
