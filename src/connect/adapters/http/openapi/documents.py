"""The component schemas generated from the classes that structure the request bodies
and render the answers: the document cannot say other than the code does."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from connect.adapters.http.openapi.json_schema import Schema
from connect.adapters.http.openapi.walker import Walker
from connect.adapters.http.pages.home import HomeDocument
from connect.adapters.http.resources.health import HealthDocument
from connect.adapters.http.structure import FORM_MEMBERS, Members
from connect.domain.deliveries import Attempt
from connect.domain.representation import DOCUMENT_FIELDS
from connect.domain.requests.keys import KeyRequest, SecretRotation
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.requests.webhooks import RecoveryRequest, WebhookPatch, WebhookRegistration
from connect.domain.submissions import Submission
from connect.presentation.audit import AuditEntryDocument
from connect.presentation.keys import IssuedKeyDocument, KeyDocument
from connect.presentation.metrics import MetricsDocument
from connect.presentation.submissions import FormReply, Moves
from connect.presentation.webhooks import (
    DeliveryDocument,
    RecoveryDocument,
    TestSend,
    WebhookDocument,
    WebhookWithSecret,
)

#: Each class a body is structured into or an answer rendered through, by its
#: component name.
SHAPES: Final[Mapping[type, str]] = {
    Submission: "Submission",
    SubmissionFields: "NewSubmission",
    SubmissionPatch: "SubmissionPatch",
    FormReply: "SpeakerFormReply",
    KeyDocument: "Key",
    IssuedKeyDocument: "IssuedKey",
    KeyRequest: "NewKey",
    SecretRotation: "Rotation",
    WebhookDocument: "Webhook",
    WebhookWithSecret: "WebhookWithSecret",
    Attempt: "Attempt",
    TestSend: "TestSend",
    DeliveryDocument: "Delivery",
    RecoveryDocument: "Recovery",
    AuditEntryDocument: "AuditEntry",
    WebhookRegistration: "NewWebhook",
    WebhookPatch: "WebhookPatch",
    RecoveryRequest: "RecoveryWindow",
    MetricsDocument: "Metrics",
    HomeDocument: "Home",
    HealthDocument: "Health",
}
#: The members of a class that are not all its fields: a submission's public ones.
MEMBERS: Final[Mapping[type, Members]] = {Submission: tuple((f, f) for f in DOCUMENT_FIELDS)}
WALKER: Final = Walker(SHAPES, MEMBERS)


def document_schemas() -> dict[str, Schema]:
    """The component schemas of the shapes, each with an example made of its fields'."""
    return {
        **WALKER.components(),
        "SubmissionDetail": WALKER.component(Submission, Moves),
        "SpeakerForm": {
            **WALKER.component(SubmissionFields, members=FORM_MEMBERS),
            "description": "The public speakers' form (camelCase, always live mode).",
        },
    }
