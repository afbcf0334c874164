"""The OpenAPI document is valid and describes every route the app serves, as it serves it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import falcon
import falcon.inspect
import falcon.testing
import jsonschema
import pytest
from attrs import evolve
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from connect.adapters.http import create_app, problems
from connect.adapters.http.openapi import build_document
from connect.adapters.http.problem_types import PROBLEM_TYPES
from connect.adapters.http.routes import ROUTES, Answer
from connect.adapters.http.routes.route import PUBLIC
from connect.bootstrap import Connect
from connect.domain.keys import ALL_SCOPES, Scope

_PARAM = re.compile(r"\{[^}]*\}")
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _shape(template: str) -> str:
    """``/api/v1/submissions/{id:int(min=1)}`` and ``.../{id}`` are the same route."""
    return _PARAM.sub("{}", template)


@pytest.fixture
def app(memory_connect: Connect) -> falcon.App[Any, Any]:
    return create_app(memory_connect)


@pytest.fixture
def document() -> dict[str, Any]:
    return build_document("0.0.0", ROUTES)


def _served(app: falcon.App[Any, Any]) -> Iterator[tuple[str, set[str], object]]:
    """Each route template, the methods its resource implements, and the resource."""
    for route in falcon.inspect.inspect_routes(app):
        methods = {m.method.lower() for m in route.methods if not m.internal}
        if "get" in methods:
            methods.discard("head")  # HEAD is GET without the body; said once, in info
        sample = _PARAM.sub("1", route.path)
        found = app._router.find(sample)
        assert found is not None, route.path
        yield route.path, methods, found[0]


def _documented(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {_shape(path): item for path, item in document["paths"].items()}


def test_the_document_is_a_valid_openapi_3_1_document(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_route_the_app_serves_is_documented_with_the_same_methods(
    app: falcon.App[Any, Any], document: dict[str, Any]
) -> None:
    documented = _documented(document)
    for path, methods, _ in _served(app):
        assert _shape(path) in documented, f"{path} is served but not documented"
        listed = {m for m in documented[_shape(path)] if m in _HTTP_METHODS}
        assert methods <= listed, f"{path}: serves {sorted(methods)}, documents {sorted(listed)}"


def test_every_get_also_answers_head_with_its_status_and_headers_and_no_body(
    app: falcon.App[Any, Any], memory_connect: Connect, document: dict[str, Any]
) -> None:
    client = falcon.testing.TestClient(app)
    token = memory_connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests").token
    assert "HEAD" in document["info"]["description"]
    for path in ("/healthz", "/api/v1/submissions", "/api/v1/exports/schedule.ics", "/admin"):
        auth = {"Authorization": f"Bearer {token}"}
        got = client.simulate_get(path, headers=auth)
        head = client.simulate_head(path, headers=auth)
        assert (head.status_code, head.content) == (got.status_code, b""), path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        assert head.headers.get("etag") == got.headers.get("etag"), path
    refused = client.simulate_head("/api/v1/submissions")
    assert refused.status_code == 401 and refused.content == b""


def test_each_operation_documents_the_access_its_route_table_row_declares(
    document: dict[str, Any],
) -> None:
    for route in ROUTES:
        for method, access in route.access.items():
            operation = document["paths"][route.path][method.lower()]
            if access.public:
                assert operation["security"] == [], f"{method} {route.path}"
                assert "x-required-scope" not in operation
                continue
            assert operation["x-required-scope"] == access.scope, f"{method} {route.path}"
            assert ({"queryKey": []} in operation["security"]) == access.query_key
            assert access.reach.value in operation["x-test-mode"]


def test_every_method_a_resource_answers_is_documented_from_its_row(
    app: falcon.App[Any, Any], document: dict[str, Any]
) -> None:
    documented = _documented(document)
    for path, methods, _ in _served(app):
        (route,) = [r for r in ROUTES if _shape(r.path) == _shape(path)]
        assert {m.upper() for m in methods} == set(route.operations), path
        for method in methods:
            op = documented[_shape(path)][method]
            row = route.operations[method.upper()]
            assert (op["operationId"], op["summary"]) == (row.operation_id, row.summary)
            assert {str(s) for s in row.answers} <= set(op["responses"]), f"{method} {path}"


def test_a_method_without_documentation_is_refused_when_the_table_is_built() -> None:
    with pytest.raises(TypeError, match="Operation"):
        evolve(ROUTES[0], get=PUBLIC)


def test_incomplete_documentation_fails_the_build() -> None:
    item = next(r for r in ROUTES if r.parameter is not None)
    with pytest.raises(ValueError, match="path parameter"):
        build_document("0.0.0", [evolve(item, parameter=None)])
    twice = evolve(item, path="/api/v1/again/{id}")
    with pytest.raises(ValueError, match="used twice"):
        build_document("0.0.0", [item, twice])
    unknown = evolve(item, get=evolve(item.get, parameters=("nonesuch",)))
    with pytest.raises(ValueError, match="nonesuch"):
        build_document("0.0.0", [unknown])
    unknown = evolve(item, get=evolve(item.get, answers={200: Answer("?", "Nonesuch")}))
    with pytest.raises(ValueError, match="Nonesuch"):
        build_document("0.0.0", [unknown])


def test_only_the_calendar_feed_documents_a_key_in_the_query(document: dict[str, Any]) -> None:
    with_query_key = [
        path
        for path, item in document["paths"].items()
        for op in item.values()
        if {"queryKey": []} in op.get("security", [])
    ]
    assert with_query_key == ["/api/v1/exports/schedule.ics"]


def test_every_protected_operation_names_a_real_scope(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for method, op in item.items():
            if op["security"]:
                assert Scope(op["x-required-scope"]), f"{method} {path}"
                assert op["x-required-scope"] in op["description"]
                assert {"401", "403", "429"} <= set(op["responses"]), f"{method} {path}"


def test_every_problem_kind_the_adapter_answers_with_is_documented() -> None:
    kinds = {p.kind for p in PROBLEM_TYPES}
    assert set(problems._FALCON_KINDS.values()) <= kinds
    for policy in ("per-key", "exports", "form", "auth-failures", "auth-failures-per-key"):
        assert f"rate-limited-{policy}" in kinds
    for kind in ("validation-failed", "unauthenticated", "forbidden", "conflict", "overloaded"):
        assert kind in kinds


def test_the_documented_submission_is_the_shape_the_api_answers_with(
    app: falcon.App[Any, Any], memory_connect: Connect, document: dict[str, Any]
) -> None:
    client = falcon.testing.TestClient(app)
    token = memory_connect.keys.create(
        name="t", scopes=frozenset({Scope.SUBMISSIONS_WRITE}), created_by="tests"
    ).token
    reply = client.simulate_post(
        "/api/v1/submissions",
        headers={"Authorization": f"Bearer {token}"},
        json={"speaker_name": "Ferris", "talk_context": "Zero-copy parsing"},
    )
    assert reply.status_code == 201
    schemas = document["components"]["schemas"]
    schema, detail = schemas["Submission"], schemas["SubmissionDetail"]
    assert set(reply.json) == set(detail["properties"]) == set(detail["required"])
    assert set(detail["properties"]) - set(schema["properties"]) == {"allowed_transitions"}
    assert set(schema["properties"]) == set(schema["required"])


def test_the_documented_key_is_the_shape_the_api_answers_with(
    app: falcon.App[Any, Any], memory_connect: Connect, document: dict[str, Any]
) -> None:
    client = falcon.testing.TestClient(app)
    organizer = memory_connect.keys.create(
        name="o", scopes=frozenset({Scope.KEYS_MANAGE}), created_by="tests"
    ).token
    reply = client.simulate_post(
        "/api/v1/keys",
        headers={"Authorization": f"Bearer {organizer}"},
        json={"name": "bot", "scopes": ["keys:manage"]},
    )
    assert reply.status_code == 201
    key = document["components"]["schemas"]["Key"]
    assert set(reply.json) - {"token"} == set(key["properties"])
    assert "token" in reply.json


def test_the_documented_audit_entry_and_metrics_are_what_the_api_answers_with(
    app: falcon.App[Any, Any], memory_connect: Connect, document: dict[str, Any]
) -> None:
    client = falcon.testing.TestClient(app)
    organizer = memory_connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests")
    auth = {"Authorization": f"Bearer {organizer.token}"}
    assert client.simulate_get("/api/v1/submissions", headers=auth).status_code == 200
    assert client.simulate_get("/api/v1/submissions/9", headers=auth).status_code == 404
    assert memory_connect.audit.flush()
    schemas = document["components"]["schemas"]

    audit = client.simulate_get(
        "/api/v1/audit", headers=auth, params={"key": organizer.key.key_id, "since": "2000-01-01"}
    )
    assert [e["status_code"] for e in audit.json["data"]] == [404, 200]
    for entry in audit.json["data"]:
        jsonschema.validate(entry, schemas["AuditEntry"])
    metrics = client.simulate_get("/api/v1/metrics", headers=auth).json
    jsonschema.validate(metrics, schemas["Metrics"])
    assert metrics["api_keys_created"] == 1 and metrics["requests_7d"] >= 2
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**metrics, "surprise": 1}, schemas["Metrics"])


def _validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    """Validates against a component schema, its ``$ref``s resolved in the document."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:connect", resource)
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:connect#/components/schemas/{name}"}, registry=registry
    )


def test_webhook_delivery_and_problem_answers_validate_against_their_documented_schemas(
    app: falcon.App[Any, Any], memory_connect: Connect, document: dict[str, Any]
) -> None:
    client = falcon.testing.TestClient(app)
    auth = {
        "Authorization": "Bearer "
        + memory_connect.keys.create(name="o", scopes=ALL_SCOPES, created_by="tests").token
    }
    created = client.simulate_post(
        "/api/v1/webhooks",
        headers=auth,
        json={"url": "https://hooks.example.org/in", "events": ["submission.created"]},
    )
    assert created.status_code == 201
    _validator(document, "WebhookWithSecret").validate(created.json)
    hook_id = created.json["id"]
    client.simulate_post(
        "/api/v1/submissions", headers=auth, json={"speaker_name": "A", "talk_context": "B"}
    )
    answers = {
        "WebhookList": client.simulate_get("/api/v1/webhooks", headers=auth),
        "DeliveryList": client.simulate_get(f"/api/v1/webhooks/{hook_id}/deliveries", headers=auth),
        "SubmissionList": client.simulate_get("/api/v1/submissions", headers=auth),
        "KeyList": client.simulate_get("/api/v1/keys", headers=auth),
        "Problem": client.simulate_post("/api/v1/webhooks", headers=auth, json={"url": 1}),
    }
    assert answers["DeliveryList"].json["data"], "the submission queued a delivery"
    for name, reply in answers.items():
        _validator(document, name).validate(reply.json)


def test_openapi_json_is_public_json_with_an_etag_that_answers_304(
    app: falcon.App[Any, Any],
) -> None:
    client = falcon.testing.TestClient(app)
    first = client.simulate_get("/openapi.json")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/json")
    assert first.json["paths"]
    again = client.simulate_get("/openapi.json", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_admin_page_is_locked_down(app: falcon.App[Any, Any]) -> None:
    reply = falcon.testing.TestClient(app).simulate_get("/admin")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    csp = reply.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'sha256-" in csp
    assert "unsafe-inline" not in csp
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert reply.headers["cache-control"] == "no-store"
    assert "localStorage" not in reply.text
    assert "sessionStorage" in reply.text
    assert not re.search(r"""(src|href)=["']https?://""", reply.text), "no external assets"


def test_the_docs_page_has_a_section_for_every_operation_and_problem(
    app: falcon.App[Any, Any], document: dict[str, Any]
) -> None:
    reply = falcon.testing.TestClient(app).simulate_get("/docs/api")
    assert reply.status_code == 200
    assert "script-src 'none'" in reply.headers["content-security-policy"]
    for item in document["paths"].values():
        for op in item.values():
            assert f'id="op-{op["operationId"]}"' in reply.text
    for problem in PROBLEM_TYPES:
        assert f'id="problem-{problem.kind}"' in reply.text
    assert "<script" not in reply.text
    assert not re.search(
        r"""(src|href)=["']https?://""",
        reply.text.replace('href="https://www.standardwebhooks.com/"', ""),
    )


def test_every_link_inside_the_docs_page_points_to_an_element_on_it(
    app: falcon.App[Any, Any],
) -> None:
    page = falcon.testing.TestClient(app).simulate_get("/docs/api").text
    ids = set(re.findall(r'id="([^"]+)"', page))
    targets = set(re.findall(r'href="#([^"]+)"', page))
    assert targets
    assert targets - ids == set()
