"""The organizers' routes: API keys, the audit log and the metrics (keys:manage)."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.resources.audit import AuditCollection
from connect.adapters.http.resources.keys import KeyCollection, KeyItem, KeyRotation
from connect.adapters.http.resources.metrics import Metrics
from connect.adapters.http.routes.route import KEYS, PAGE, Answer, Operation, Route
from connect.domain.access import Access, Reach
from connect.domain.keys import DEFAULT_GRACE_SECONDS, Scope

ROUTES: Final = (
    Route(
        "/api/v1/keys",
        lambda s, d: KeyCollection(s.keys),
        post=Operation(
            KEYS,
            "createKey",
            "Create an API key",
            "The answer carries the token, once. A key grants only scopes it holds; a "
            "test key makes only test keys.",
            body="NewKey",
            answers={201: Answer("Created.", "IssuedKey", ("Location",))},
        ),
        get=Operation(
            KEYS,
            "listKeys",
            "List API keys",
            "Newest first; never tokens nor hashes.",
            parameters=PAGE,
            answers={200: Answer("A page.", "KeyList", ("Link",))},
        ),
        tag="Keys",
    ),
    # NOTE: key paths take the numeric id or the key_id, so the router does not convert.
    Route(
        "/api/v1/keys/{id}",
        lambda s, d: KeyItem(s.keys),
        get=Operation(KEYS, "getKey", "Get an API key", answers={200: Answer("The key.", "Key")}),
        delete=Operation(
            KEYS,
            "revokeKey",
            "Revoke an API key",
            "Revokes at once (the row is kept). Idempotent: revoking again keeps the first time.",
            answers={200: Answer("The revoked key.", "Key")},
        ),
        tag="Keys",
        parameter="keyId",
    ),
    Route(
        "/api/v1/keys/{id}/rotate",
        lambda s, d: KeyRotation(s.keys),
        post=Operation(
            KEYS,
            "rotateKey",
            "Rotate an API key",
            "A new key with the same name, scopes, mode and owned webhooks; the old token "
            f"keeps working for grace_seconds (default {DEFAULT_GRACE_SECONDS}, 0 = now).",
            body="Rotation",
            body_required=False,
            answers={201: Answer("The new key.", "IssuedKey", ("Location",))},
            problems=(409,),
        ),
        tag="Keys",
        parameter="keyId",
    ),
    Route(
        "/api/v1/audit",
        lambda s, d: AuditCollection(s.audit),
        get=Operation(
            Access(Scope.KEYS_MANAGE, Reach.AUDIT),
            "listAudit",
            "The audit log",
            "Newest first. Records the route template, never a token.",
            parameters=(*PAGE, "auditKey", "since", "until"),
            answers={200: Answer("A page.", "AuditList", ("Link",))},
        ),
        tag="Organizer",
    ),
    Route(
        "/api/v1/metrics",
        lambda s, d: Metrics(s.metrics),
        get=Operation(
            Access(Scope.KEYS_MANAGE, Reach.METRICS),
            "getMetrics",
            "Success metrics",
            answers={200: Answer("The metrics.", "Metrics")},
        ),
        tag="Organizer",
    ),
)
