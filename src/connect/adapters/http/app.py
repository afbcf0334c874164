"""The Falcon application: routes, middleware and error mapping."""

from __future__ import annotations

from typing import Any

import falcon

from connect.adapters.http import problems
from connect.adapters.http.auth import BearerAuth
from connect.adapters.http.body import BodyLimit
from connect.adapters.http.client_ip import ClientAddress
from connect.adapters.http.headers import SafetyHeaders
from connect.adapters.http.rate_limit import FailedAuthentications, RateLimitGuard
from connect.adapters.http.resources.audit import AuditCollection
from connect.adapters.http.resources.exports import (
    ScheduleIcs,
    SubmissionsCsv,
    SubmissionsJson,
)
from connect.adapters.http.resources.form import SpeakerForm
from connect.adapters.http.resources.health import Health
from connect.adapters.http.resources.keys import KeyCollection, KeyItem, KeyRotation
from connect.adapters.http.resources.metrics import Metrics
from connect.adapters.http.resources.pages import page_resources
from connect.adapters.http.resources.submissions import (
    Schedule,
    SubmissionCollection,
    SubmissionItem,
)
from connect.adapters.http.resources.webhooks import (
    Redelivery,
    WebhookCollection,
    WebhookDeliveries,
    WebhookItem,
    WebhookSecretRotation,
    WebhookTest,
)
from connect.adapters.http.telemetry import RequestTelemetry
from connect.services.container import Services


def _route(app: falcon.App[Any, Any], path: str, resource: object) -> None:
    """``app.add_route``, and HEAD wherever there is GET (RFC 9110 section 9.3.2: the same
    answer without its body; Falcon drops the body of a HEAD answer and keeps the
    headers). Uptime monitors and calendar clients send HEAD."""
    if hasattr(resource, "on_get") and not hasattr(resource, "on_head"):
        resource.on_head = resource.on_get  # type: ignore[attr-defined]
    app.add_route(path, resource)


def create_app(services: Services) -> falcon.App[Any, Any]:
    """A WSGI app serving Connect's HTTP API over the given services.

    Args:
        services: the wired services (a ``connect.Connect`` is one).
    """
    # NOTE: the client IP rule is a setting of the embedding Connect (its Config), when
    # there is one; a bare Services reads the socket peer.
    client_address = ClientAddress(
        getattr(getattr(services, "config", None), "trusted_proxy_header", None)
    )
    failures = FailedAuthentications(services.rate_limits, client_address)
    middleware: list[Any] = [
        RequestTelemetry(services.audit, client_address),
        SafetyHeaders(),
        BodyLimit(),
        BearerAuth(services.keys, failures),
        RateLimitGuard(services.rate_limits, client_address),
    ]
    app: falcon.App[Any, Any] = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    app.req_options.auto_parse_qs_csv = False
    app.resp_options.secure_cookies_by_default = True
    problems.install(app)

    _route(app, "/healthz", Health(services))
    _route(app, "/api/submissions", SpeakerForm(services.submissions))
    _route(app, "/api/v1/submissions", SubmissionCollection(services.submissions))
    _route(
        app,
        "/api/v1/submissions/{id:int(min=1, max=9223372036854775807)}",
        SubmissionItem(services.submissions),
    )
    _route(app, "/api/v1/schedule", Schedule(services.submissions))
    _route(app, "/api/v1/keys", KeyCollection(services.keys))
    _route(app, "/api/v1/keys/{id}", KeyItem(services.keys))
    _route(app, "/api/v1/keys/{id}/rotate", KeyRotation(services.keys))
    for path, page in page_resources().items():
        _route(app, path, page)
    webhook_id = "{id:int(min=1, max=9223372036854775807)}"
    _route(app, "/api/v1/webhooks", WebhookCollection(services.webhooks))
    _route(app, f"/api/v1/webhooks/{webhook_id}", WebhookItem(services.webhooks))
    _route(app, f"/api/v1/webhooks/{webhook_id}/test", WebhookTest(services.webhooks))
    _route(
        app,
        f"/api/v1/webhooks/{webhook_id}/rotate-secret",
        WebhookSecretRotation(services.webhooks),
    )
    _route(app, f"/api/v1/webhooks/{webhook_id}/deliveries", WebhookDeliveries(services.webhooks))
    _route(app, f"/api/v1/deliveries/{webhook_id}/redeliver", Redelivery(services.webhooks))
    _route(app, "/api/v1/exports/submissions.csv", SubmissionsCsv(services.exports))
    _route(app, "/api/v1/exports/submissions.json", SubmissionsJson(services.exports))
    _route(app, "/api/v1/exports/schedule.ics", ScheduleIcs(services.exports))
    _route(app, "/api/v1/audit", AuditCollection(services.audit))
    _route(app, "/api/v1/metrics", Metrics(services.metrics))
    return app
