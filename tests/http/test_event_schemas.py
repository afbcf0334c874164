"""The documented event bodies are generated from the shapes that build them: every body
Connect signs validates against its event type's schema, and nothing else does."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from connect.adapters.http.openapi import build_document
from connect.adapters.http.openapi.event_catalog import event_catalog
from connect.adapters.http.openapi.event_schemas import NAMES, body_name
from connect.adapters.http.routes import ROUTES
from connect.domain.deliveries import Attempt, Delivery, DeliveryStatus
from connect.domain.event_kinds import KINDS
from connect.domain.events import (
    OPERATIONAL,
    Event,
    EventType,
    submission_changed,
    submission_created,
    submission_deleted,
    webhook_test,
)
from connect.domain.feed import scrub_body
from connect.domain.mode import Mode
from connect.domain.operational import operational_event
from connect.domain.submissions import Change
from connect.domain.webhooks import Webhook
from tests.domain.strategies import instants, submissions
from tests.domain.test_event_bodies import attempts, choose, deliveries, ids, webhooks

DOCUMENT = build_document("0.0.0", ROUTES)
SCHEMAS = DOCUMENT["components"]["schemas"]
_REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:connect", Resource.from_contents(DOCUMENT, default_specification=DRAFT202012)
)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"urn:connect#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=_REGISTRY)


def documented(event: Event) -> jsonschema.Draft202012Validator:
    """The validator of the body the ``webhooks`` section documents for ``event``."""
    request = DOCUMENT["webhooks"][event.type.value]["post"]["requestBody"]
    name = request["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert name == body_name(event.type)
    return validator(name)


@settings(max_examples=50, deadline=None)
@given(submissions(), instants, choose)
def test_submission_bodies_and_their_scrubbed_copies_validate(
    submission: Any, now: datetime, pick: Any
) -> None:
    change = Change(submission=submission, changed=True, scheduled=True)
    for event in [
        *submission_created(submission, now=now, choose=pick),
        *submission_changed(change, now=now, choose=pick),
        *submission_deleted(submission, now=now, choose=pick),
    ]:
        documented(event).validate(json.loads(event.body()))
        documented(event).validate(json.loads(scrub_body(event.body(), submission.id)))
        validator("EventPage").validate(
            {"data": [json.loads(event.body())], "next_cursor": "djE6MQ", "has_more": False}
        )


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(sorted(OPERATIONAL)),
    webhooks(),
    deliveries(),
    attempts,
    st.sampled_from(DeliveryStatus),
    instants,
    choose,
)
def test_operational_bodies_validate(
    kind: EventType,
    webhook: Webhook,
    delivery: Delivery,
    attempt: Attempt,
    status: DeliveryStatus,
    now: datetime,
    pick: Any,
) -> None:
    event = operational_event(kind, webhook, delivery, attempt, status, now=now, choose=pick)
    documented(event).validate(json.loads(event.body()))


@given(ids, st.sampled_from(Mode), instants, choose)
def test_a_test_send_body_validates(webhook_id: int, mode: Mode, now: datetime, pick: Any) -> None:
    event = webhook_test(webhook_id, mode, now=now, choose=pick)
    documented(event).validate(json.loads(event.body()))


def test_a_body_with_another_type_or_a_member_more_is_refused() -> None:
    example = SCHEMAS["OperationalEvent"]["examples"][0]
    check = validator("OperationalEvent")
    check.validate(example)
    for wrong in (
        {**example, "event": "submission.created"},
        {**example, "extra": 1},
        {**example, "data": {**example["data"], "webhook": {"id": 3}}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            check.validate(wrong)
    # NOTE: the schema allows a reason on any operational event (one component for all
    # four); that only webhook.disabled carries it is tested on the domain's bodies.
    disabled = {**example, "event": "webhook.disabled"}
    check.validate({**disabled, "data": {**example["data"], "reason": "410 Gone"}})


def test_every_event_component_has_an_example_that_validates() -> None:
    for name in ("Event", "SubmissionDeletedEvent", "ErasedSubmission", "OperationalEvent"):
        (example,) = SCHEMAS[name]["examples"]
        validator(name).validate(example)
    for entry in event_catalog(DOCUMENT):
        validator(body_name(EventType(entry["type"]))).validate(entry["example"])
    validator("EventTypeList").validate({"data": event_catalog(DOCUMENT), "next_cursor": None})


def test_each_body_component_names_exactly_the_event_types_whose_body_it_is() -> None:
    for shape in {kind.body for kind in KINDS.values()}:
        schema = SCHEMAS[NAMES[shape]]["properties"]["event"]
        named = schema.get("enum", [schema.get("const")])
        assert named == [t.value for t in EventType if KINDS[t].body is shape]
    assert SCHEMAS["Event"]["properties"]["data"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Submission"
    }
