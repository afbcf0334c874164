from __future__ import annotations

import falcon

from connect.adapters.http.resources import Resource
from connect.presentation import metrics_document
from connect.services.metrics import MetricsService


class Metrics(Resource[MetricsService]):
    """``GET /api/v1/metrics`` (keys:manage)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = metrics_document(self._service.compute(req.context.principal))
        resp.cache_control = ["no-store"]
