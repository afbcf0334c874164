from __future__ import annotations

from typing import Any

import falcon

from connect.domain.metrics import TARGETS, WINDOW_DAYS, SuccessMetrics
from connect.domain.time import format_instant
from connect.services.metrics import MetricsService


def metrics_document(metrics: SuccessMetrics) -> dict[str, Any]:
    """The success metrics as JSON (also what ``connect metrics --json`` prints)."""
    return {
        "api_keys_created": metrics.api_keys_created,
        "webhooks_registered": metrics.webhooks_registered,
        "export_downloads_7d": metrics.export_downloads_7d,
        "delivery_success_rate": metrics.delivery_success_rate,
        "deliveries": {
            "succeeded": metrics.deliveries_succeeded,
            "failed": metrics.deliveries_failed,
        },
        "p95_latency_ms_7d": metrics.p95_latency_ms_7d,
        "requests_7d": metrics.requests_7d,
        "webhooks_failing": metrics.webhooks_failing,
        "webhooks_disabled": metrics.webhooks_disabled,
        "deliveries_exhausted_7d": metrics.deliveries_exhausted_7d,
        "window_days": WINDOW_DAYS,
        "targets": {
            name: {"op": op, "value": value, "met": metrics.met(name)}
            for name, (op, value) in TARGETS.items()
        },
        "computed_at": format_instant(metrics.computed_at),
    }


class Metrics:
    """``GET /api/v1/metrics`` (keys:manage)."""

    def __init__(self, metrics: MetricsService) -> None:
        self._metrics = metrics

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = metrics_document(self._metrics.compute(req.context.principal))
        resp.cache_control = ["no-store"]
