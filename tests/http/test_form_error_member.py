"""Every problem on the speakers' form also carries ``error``, a sentence for people:
the Rust NYC site's own frontend shows ``result.error`` (else "Failed to submit")."""

from __future__ import annotations

import json
from typing import Any

import pytest
from attrs import evolve
from falcon import testing
from hypothesis import given
from hypothesis import strategies as st

from connect.adapters.http import create_app
from connect.adapters.http.error_sentence import LABELS, error_sentence
from connect.adapters.http.openapi import build_document
from connect.adapters.http.problems import problem_for
from connect.adapters.http.routes import ROUTES, error_member_paths
from connect.adapters.memory import MemoryUnitOfWork
from connect.bootstrap import bootstrap
from connect.config import Config
from connect.domain.errors import SchemaTooNew, StorageUnavailable
from connect.testing import FixedEntropy, Sha256Hasher
from tests.http.conftest import UNLIMITED

FORM = "/api/submissions"


def form_client(config: Config = UNLIMITED) -> testing.TestClient:
    connect = bootstrap(
        config.with_(db=":memory:"),
        MemoryUnitOfWork(),
        entropy=FixedEntropy(3),
        hasher=Sha256Hasher(),
    )
    return testing.TestClient(create_app(connect))


def assert_sentence(problem: dict[str, Any]) -> str:
    error = problem["error"]
    assert isinstance(error, str) and error.strip() == error and error, problem
    assert error[0].isupper() or error[0] == "'", error
    assert error.endswith((".", "?")), error
    return str(error)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("POST", FORM, "{", 400, "The body is not valid JSON"),
        ("POST", FORM, "", 400, "The request needs a JSON body."),
        ("POST", FORM, "[]", 422, "The body must be a JSON object."),
        (
            "POST",
            FORM,
            json.dumps({"speakerName": " ", "talkContext": "Ownership", "isOnBehalf": True}),
            422,
            "Speaker name must not be blank. Submitter name is required.",
        ),
        (
            "POST",
            FORM,
            json.dumps({"speakerName": "Ferris", "talkContxt": "Ownership"}),
            422,
            "'talkContxt' is not a known field; did you mean 'talkContext'?",
        ),
        ("POST", FORM + "/", json.dumps({"talkContext": "x"}), 422, "Speaker name is required."),
        ("POST", FORM, "x" * (1024 * 1024 + 1), 413, "The request body is over 1048576 bytes."),
        ("GET", FORM, None, 405, "GET is not allowed on /api/submissions."),
    ],
    ids=["not-json", "empty", "array", "fields", "misspelt", "trailing-slash", "413", "405"],
)
def test_every_problem_on_the_form_carries_error_as_a_sentence(
    method: str, path: str, body: str | None, status: int, says: str
) -> None:
    reply = form_client().simulate_request(method, path, body=body)
    assert reply.status_code == status
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json
    assert problem["detail"], "the RFC 9457 members stay as they were"
    assert assert_sentence(problem).startswith(says)


def test_a_rate_limited_speaker_reads_how_long_to_wait() -> None:
    client = form_client(UNLIMITED.with_(form_limit=(1, 900)))
    body = {"speakerName": "Ferris", "talkContext": "Ownership"}
    assert client.simulate_post(FORM, json=body).status_code == 201
    refused = client.simulate_post(FORM, json=body)
    assert refused.status_code == 429
    assert refused.json["retry_after"] == 900
    assert assert_sentence(refused.json) == (
        "Too many submissions from your address in a short time; please try again in 15 minutes."
    )


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/submissions", "{}"),
        ("GET", "/api/v1/keys", None),
        ("GET", "/api/nothing", None),
        ("POST", "/healthz", "{}"),
    ],
)
def test_problems_elsewhere_keep_to_rfc_9457_members(
    method: str, path: str, body: str | None
) -> None:
    reply = form_client().simulate_request(method, path, body=body)
    assert reply.status_code >= 400
    assert "error" not in reply.json


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@given(
    st.dictionaries(
        st.sampled_from([*LABELS, "talk_context", "speaker"]) | st.text(max_size=12),
        JSON_VALUES,
        max_size=6,
    )
)
def test_any_form_body_is_stored_or_answered_with_a_sentence_naming_each_field(
    body: dict[str, Any],
) -> None:
    reply = form_client().simulate_post(FORM, body=json.dumps(body))
    if reply.status_code == 201:
        assert reply.json["success"] is True
        return
    problem = reply.json
    error = assert_sentence(problem)
    for field in problem.get("errors", ()):
        assert LABELS.get(field["field"], f"'{field['field']}'") in error
        assert field["message"] in error


@given(
    st.lists(
        st.tuples(st.sampled_from([*LABELS, "other"]), st.text(min_size=1).filter(str.strip)),
        min_size=1,
        max_size=4,
    )
)
def test_the_sentence_keeps_every_field_problem_in_order(problems: list[tuple[str, str]]) -> None:
    errors = [{"field": f, "message": m.strip()} for f, m in problems]
    sentence = error_sentence({"status": 422, "detail": "x", "errors": errors})
    position = 0
    for error in errors:
        found = sentence.find(error["message"], position)
        assert found >= 0, (sentence, error)
        position = found + len(error["message"])


@given(st.dictionaries(st.sampled_from(["status", "detail", "title", "retry_after"]), JSON_VALUES))
def test_the_sentence_is_never_empty(problem: dict[str, Any]) -> None:
    assert error_sentence(problem).strip()


def test_the_document_says_the_forms_problems_carry_error() -> None:
    document = build_document("0.0.0", ROUTES)
    form = document["paths"][FORM]["post"]
    assert "`error`" in form["description"]
    problems = {s: r for s, r in form["responses"].items() if s[0] in "45"}
    assert set(problems) >= {"400", "413", "422", "429"}
    for response in problems.values():
        schema = response["content"]["application/problem+json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ProblemWithError"}
    assert "error" in json.dumps(document["components"]["schemas"]["ProblemWithError"])
    elsewhere = document["paths"]["/api/v1/submissions"]["post"]["responses"]["422"]
    assert elsewhere == {"$ref": "#/components/responses/ValidationFailed"}


def test_only_literal_paths_may_ask_for_the_error_member() -> None:
    assert error_member_paths(ROUTES) == {FORM}
    templated = evolve(ROUTES[-1], path="/api/v1/things/{id}", error_member=True)
    with pytest.raises(ValueError, match="literal path"):
        error_member_paths([*ROUTES, templated])


@pytest.mark.parametrize(
    "error",
    [
        StorageUnavailable("cannot use the database /srv/hidden.db"),
        SchemaTooNew("the database /srv/hidden.db", 9, 7),
    ],
)
def test_storage_that_cannot_be_used_is_a_503_not_a_client_error(error: Exception) -> None:
    assert isinstance(error, StorageUnavailable | SchemaTooNew)
    problem = problem_for(error)
    assert (problem.status_code, problem.kind) == (503, "storage-unavailable")
    assert "hidden" not in problem.description, "file paths stay in the server log"
