"""The generated document documents at least what the hand-written one did."""

from __future__ import annotations

import json

from connect.adapters.http.openapi import build_document
from connect.adapters.http.routes import ROUTES
from tests.http.openapi_coverage import BEFORE, coverage


def test_the_document_covers_every_operation_parameter_answer_and_field_it_did_before() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    now = coverage(build_document("0.0.0", ROUTES))
    for kind, entries in before.items():
        missing = sorted(set(entries) - set(now[kind]))
        assert not missing, f"{kind} no longer documented: {missing[:20]}"


def test_the_coverage_sees_a_field_dropped_from_a_component() -> None:
    document = build_document("0.0.0", ROUTES)
    del document["components"]["schemas"]["Webhook"]["properties"]["url"]
    fields = set(coverage(document)["fields"])
    assert "schema Webhook : url" not in fields
    assert "GET /api/v1/webhooks/{id} 200 application/json : url" not in fields
