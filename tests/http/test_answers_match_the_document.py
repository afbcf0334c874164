"""Every route's real answer is what /openapi.json documents for it: its status, its
media type and, for JSON, its schema (answers allow no undocumented member)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from falcon import testing

from connect.adapters.http import create_app
from connect.adapters.http.openapi import build_document
from connect.adapters.http.routes import ROUTES
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES
from connect.domain.mode import Mode
from tests.http.test_authorization import BODIES, World

DOCUMENT = build_document("0.0.0", ROUTES)
EVERY = [(method, route.path) for route in ROUTES for method in route.access]
# NOTE: the public form is the one write without a key; its body is camelCase.
SAMPLES = {**BODIES, ("POST", "/api/submissions"): {"speakerName": "Ada", "talkContext": "x"}}


@pytest.fixture
def connect(offline_connect: Connect) -> Connect:
    return offline_connect


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = DOCUMENT
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """Validates against ``schema``, its ``#/components/...`` references resolved."""
    # NOTE: the components beside the schema make them its own: an unknown keyword.
    return jsonschema.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


@pytest.mark.parametrize(("method", "path"), EVERY, ids=[f"{m} {p}" for m, p in EVERY])
def test_the_answer_of_every_route_is_the_documented_one(
    connect: Connect, method: str, path: str
) -> None:
    world = World(connect, ALL_SCOPES, Mode.LIVE, Mode.LIVE)
    body = SAMPLES.get((method, path))
    reply = testing.TestClient(create_app(connect)).simulate_request(
        method,
        world.path(path),
        headers={"Authorization": f"Bearer {world.token}"},
        body=json.dumps(body) if body is not None else None,
    )
    assert reply.status_code < 400, reply.text
    responses = DOCUMENT["paths"][path][method.lower()]["responses"]
    assert str(reply.status_code) in responses, f"{reply.status_code} is not documented"
    documented = _deref(responses[str(reply.status_code)])
    if reply.status_code == 204:
        assert "content" not in documented and reply.content == b""
        return
    media = reply.headers["content-type"].split(";")[0]
    content = {kind.split(";")[0]: c for kind, c in documented["content"].items()}
    assert media in content, f"answers {media}, documents {list(content)}"
    if media.endswith("json"):
        _validator(content[media]["schema"]).validate(reply.json)


def test_an_undocumented_member_is_refused_by_a_documented_schema() -> None:
    schema = {"$ref": "#/components/schemas/Webhook"}
    webhook = DOCUMENT["components"]["schemas"]["Webhook"]["examples"][0]
    _validator(schema).validate(webhook)
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema).validate({**webhook, "secret": "whsec_x"})


def test_the_home_page_as_json_is_the_documented_one(connect: Connect) -> None:
    """``/`` answers HTML unless asked for JSON, so the test above sees only the page."""
    reply = testing.TestClient(create_app(connect)).simulate_get(
        "/", headers={"Accept": "application/json"}
    )
    assert reply.headers["content-type"] == "application/json"
    responses = DOCUMENT["paths"]["/"]["get"]["responses"]
    _validator(responses["200"]["content"]["application/json"]["schema"]).validate(reply.json)
