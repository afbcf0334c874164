"""The organizer routes: keys, the audit log and the metrics (keys:manage)."""

from __future__ import annotations

from typing import Any

from connect.adapters.http.openapi.operations import PAGE, json_body, json_response, operation


def organizer_paths() -> dict[str, Any]:
    return {
        "/api/v1/keys": {
            "post": operation(
                "createKey",
                "Create an API key",
                tag="Keys",
                description="The answer carries the token, once. A key grants only scopes it "
                "holds; a test key makes only test keys.",
                body=json_body("NewKey"),
                responses={201: json_response("Created.", "IssuedKey", headers=["Location"])},
            ),
            "get": operation(
                "listKeys",
                "List API keys",
                tag="Keys",
                description="Newest first; never tokens nor hashes.",
                parameters=PAGE,
                responses={200: json_response("A page.", "KeyList", headers=["Link"])},
                problems=[422],
            ),
        },
        "/api/v1/keys/{id}": {
            "get": operation(
                "getKey",
                "Get an API key",
                tag="Keys",
                parameters=["keyId"],
                responses={200: json_response("The key.", "Key")},
                problems=[404],
            ),
            "delete": operation(
                "revokeKey",
                "Revoke an API key",
                tag="Keys",
                description="Revokes at once (the row is kept). Idempotent: revoking again "
                "keeps the first time.",
                parameters=["keyId"],
                responses={200: json_response("The revoked key.", "Key")},
                problems=[404],
            ),
        },
        "/api/v1/keys/{id}/rotate": {
            "post": operation(
                "rotateKey",
                "Rotate an API key",
                tag="Keys",
                description="A new key with the same name, scopes, mode and owned webhooks; "
                "the old token keeps working for grace_seconds (default 86400, 0 = now).",
                parameters=["keyId"],
                body=json_body("Rotation", required=False),
                responses={201: json_response("The new key.", "IssuedKey", headers=["Location"])},
                problems=[404, 409],
            )
        },
        "/api/v1/audit": {
            "get": operation(
                "listAudit",
                "The audit log",
                tag="Organizer",
                description="Newest first. Records the route template, never a token.",
                parameters=[*PAGE, "auditKey", "since", "until"],
                responses={200: json_response("A page.", "AuditList", headers=["Link"])},
                problems=[422],
            )
        },
        "/api/v1/metrics": {
            "get": operation(
                "getMetrics",
                "Success metrics",
                tag="Organizer",
                responses={200: json_response("The metrics.", "Metrics")},
            )
        },
    }
