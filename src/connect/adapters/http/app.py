"""The Falcon application: routes, middleware and error mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import falcon

from connect._version import __version__
from connect.adapters.http import problems
from connect.adapters.http.auth import BearerAuth
from connect.adapters.http.authorization import Authorization
from connect.adapters.http.body import BodyLimit
from connect.adapters.http.headers import SafetyHeaders
from connect.adapters.http.openapi import build_document
from connect.adapters.http.rate_limit import RateLimitGuard
from connect.adapters.http.routes import ROUTES, Route, check_table, error_member_paths
from connect.adapters.http.telemetry import RequestTelemetry
from connect.services.container import Services


def _add(app: falcon.App[Any, Any], template: str, resource: object) -> None:
    """``app.add_route``, and HEAD wherever there is GET (RFC 9110 section 9.3.2: the same
    answer without its body; Falcon drops the body of a HEAD answer and keeps the
    headers). Uptime monitors and calendar clients send HEAD."""
    if hasattr(resource, "on_get") and not hasattr(resource, "on_head"):
        resource.on_head = resource.on_get  # type: ignore[attr-defined]
    app.add_route(template, resource)


def create_app(services: Services, routes: Sequence[Route] = ROUTES) -> falcon.App[Any, Any]:
    """A WSGI app serving the ``routes`` of Connect's HTTP API over ``services`` (a
    ``connect.Connect`` is one).

    Raises:
        ValueError: a resource answers a method its route does not declare.
    """
    document = build_document(__version__, routes)
    built = [(route, route.resource(services, document)) for route in routes]
    check_table(built)
    middleware: list[Any] = [
        RequestTelemetry(services.audit),
        SafetyHeaders(),
        BodyLimit(),
        Authorization(built, BearerAuth(services.keys, services.rate_limits)),
        RateLimitGuard(services.rate_limits),
    ]
    app: falcon.App[Any, Any] = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = True
    app.req_options.auto_parse_qs_csv = False
    app.resp_options.secure_cookies_by_default = True
    problems.install(app, error_paths=error_member_paths(routes))
    for route, resource in built:
        _add(app, route.template, resource)
    return app
