from __future__ import annotations

import falcon

from connect.presentation import metrics_document
from connect.services.metrics import MetricsService


class Metrics:
    """``GET /api/v1/metrics`` (keys:manage)."""

    def __init__(self, metrics: MetricsService) -> None:
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = metrics_document(self._metrics.compute(req.context.principal))
        resp.cache_control = ["no-store"]
