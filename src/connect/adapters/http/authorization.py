"""Enforcing the route table before any resource runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import falcon

from connect.adapters.http.auth import BearerAuth
from connect.adapters.http.routes import Route
from connect.domain.errors import Forbidden


class Authorization:
    """Middleware: finds the route of a request in the table, authenticates its key
    unless the operation is public, and refuses a key without the operation's scope
    (403) before the resource runs.

    Sets ``req.context.route``, ``req.context.access`` (``None`` for a method the route
    does not serve: Falcon answers 405) and ``req.context.principal`` (``None`` for a
    public operation). The principal is set before the scope check, so a refused
    request is still audited under its key.
    """

    def __init__(self, routes: Iterable[tuple[Route, object]], authenticate: BearerAuth) -> None:
        # NOTE: keyed by the resource object: the router already found it, so this
        # is one dict lookup per request.
        self._routes = {id(resource): route for route, resource in routes}
        self._authenticate = authenticate

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        req.context.principal = None
        req.context.access = None
        if resource is None:
            return  # no route: Falcon answers 404
        route = self._routes.get(id(resource))
        req.context.route = route
        if route is None:
            # NOTE: fail closed: a resource added to the app behind the table's back
            # (app.add_route) has nobody saying who may call it.
            raise Forbidden("this route is not in Connect's route table")
        access = route.access_for(req.method)
        req.context.access = access
        if access is None or access.public:
            return
        principal = self._authenticate(req, resp, query_key=access.query_key)
        req.context.principal = principal
        access.authorize(principal)
