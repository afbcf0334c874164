"""The OpenAPI 3.1 document of Connect's HTTP API: one source for /openapi.json and /docs/api."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import asdict

from connect.adapters.http.openapi.components import components
from connect.adapters.http.openapi.operations import paths
from connect.adapters.http.openapi.schemas import schemas
from connect.adapters.http.openapi.webhooks import webhooks
from connect.adapters.http.problem_types import PROBLEM_TYPES

if TYPE_CHECKING:
    from connect.adapters.http.routes import Route

TAGS = [
    {"name": "Submissions", "description": "Talk submissions and the schedule."},
    {"name": "Exports", "description": "CSV, JSON and iCalendar downloads."},
    {"name": "Webhooks", "description": "Signed event deliveries to your HTTPS endpoint."},
    {"name": "Events", "description": "The event feed, for tools that poll, and the catalog."},
    {"name": "Keys", "description": "API keys (organizers, keys:manage)."},
    {"name": "Organizer", "description": "Audit log and metrics (keys:manage)."},
    {"name": "Service", "description": "Health, this document, the docs and organizer pages."},
]


def build_document(version: str, routes: Iterable[Route]) -> dict[str, Any]:
    """The OpenAPI 3.1 document (``info.version``: ``version``) for every route of the
    table, as each documents its operations and who may call them.

    Raises:
        ValueError: the table's documentation is incomplete (``operations.paths``), or
            names a parameter, header or schema the document does not have.
    """
    document = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Connect API",
            "version": version,
            "summary": "Scoped API keys, exports and signed webhooks for Rust NYC talks.",
            "description": "Connect gives outside tools a secure way into the Rust NYC "
            "talk-submission system. Human docs: /docs/api. Every GET also answers HEAD: "
            "the same status and headers, no body.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/"}],
        "tags": TAGS,
        "security": [{"bearer": []}],
        "paths": paths(routes),
        "webhooks": webhooks(),
        "components": components(schemas()),
        "x-problem-types": [asdict(t) for t in PROBLEM_TYPES],
    }
    _check_refs(document, document["paths"])
    return document


def _check_refs(document: dict[str, Any], node: Any) -> None:
    """Raises:
    ValueError: a ``$ref`` under ``node`` names nothing in ``document``.
    """
    if isinstance(node, list):
        node = dict(enumerate(node))
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        target: Any = document
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            if not isinstance(target, dict) or part not in target:
                raise ValueError(f"the document refers to nothing: {node['$ref']}")
            target = target[part]
    for value in node.values():
        _check_refs(document, value)
