"""The route table: the one place that says which path serves what, who may call it and
how the API reference documents it (``route``), its rows by area."""

from __future__ import annotations

from typing import Final

from connect.adapters.http.routes import organizer, service, submissions, webhooks
from connect.adapters.http.routes.route import (
    Answer,
    Operation,
    Route,
    check_table,
    error_member_paths,
)

# NOTE: in the order the OpenAPI document and /docs/api list them.
ROUTES: Final[tuple[Route, ...]] = (
    *submissions.ROUTES,
    *webhooks.ROUTES,
    *organizer.ROUTES,
    *service.ROUTES,
)

__all__ = ["ROUTES", "Answer", "Operation", "Route", "check_table", "error_member_paths"]
