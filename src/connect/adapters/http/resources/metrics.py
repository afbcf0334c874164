from __future__ import annotations

import falcon

from connect.adapters.http.resources import Resource
from connect.presentation import document
from connect.services.metrics import MetricsService


class Metrics(Resource[MetricsService]):
    """``GET /api/v1/metrics`` (keys:manage)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = document(self._service.compute(req.context.principal))
        resp.cache_control = ["no-store"]
