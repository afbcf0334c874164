"""The service's own routes: the home page, health, the OpenAPI document and the pages."""

from __future__ import annotations

from typing import Final

from connect._version import __version__
from connect.adapters.http.problem_types import PROBLEM_JSON
from connect.adapters.http.resources.health import Health
from connect.adapters.http.resources.home import HomePage
from connect.adapters.http.resources.pages import (
    AdminPage,
    ApiDocs,
    OpenApiDocument,
)
from connect.adapters.http.routes.route import PUBLIC, Answer, Factory, Operation, Route, Schema

_TEXT: Final = {"type": "string"}


def _page(
    path: str,
    resource: Factory,
    operation_id: str,
    summary: str,
    description: str,
    *,
    media: str = "text/html",
    schema: Schema = _TEXT,
    headers: tuple[str, ...] = (),
    more: dict[int, Answer] | None = None,
) -> Route:
    """A public page of the service, never rate limited."""
    ok = {200: Answer("OK.", headers=headers, media={media: schema}), **(more or {})}
    operation = Operation(PUBLIC, operation_id, summary, description, answers=ok)
    return Route(path, resource, get=operation, tag="Service")


ROUTES: Final = (
    Route(
        "/",
        lambda s, d: HomePage(__version__),
        get=Operation(
            PUBLIC,
            "home",
            "The home page",
            "Links to /docs/api, /openapi.json, /admin, /healthz and /api/v1/event-types "
            "(also in a `Link` header). HTML unless the client prefers JSON "
            "(`Accept: application/json`).",
            answers={200: Answer("OK.", "Home", media={"text/html": _TEXT})},
        ),
        tag="Service",
    ),
    _page(
        "/healthz",
        lambda s, d: Health(s),
        "health",
        "Health check",
        "200 when storage answers.",
        media="application/json",
        schema="Health",
        more={
            503: Answer(
                "Storage does not answer (storage-unavailable).", media={PROBLEM_JSON: "Problem"}
            )
        },
    ),
    _page(
        "/openapi.json",
        lambda s, d: OpenApiDocument(d),
        "openapi",
        "This OpenAPI document",
        "Public. Has an ETag.",
        media="application/json",
        schema={"type": "object", "required": ["openapi", "info", "paths"]},
        headers=("ETag",),
        more={304: Answer("Not modified.")},
    ),
    _page(
        "/docs/api",
        lambda s, d: ApiDocs(d),
        "apiDocs",
        "The API docs page",
        "This reference, as HTML.",
    ),
    _page(
        "/admin",
        lambda s, d: AdminPage(),
        "adminPage",
        "The organizer page",
        "A self-contained page; it asks for a keys:manage key and calls the JSON API.",
    ),
)
