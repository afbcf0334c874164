"""``connect metrics [--json] [--db]``: the seed's success metrics from stored data."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from connect.domain.metrics import TARGETS, SuccessMetrics
from connect.domain.operational import FAILING_AFTER
from connect.entrypoints.commands.common import add_db_flag, open_connect, output
from connect.presentation import document, table

_LABELS = {
    "api_keys_created": ("API keys created", "10+"),
    "webhooks_registered": ("Webhooks registered", "5+"),
    "export_downloads_7d": ("Export downloads (last 7 days)", "20+/week"),
    "delivery_success_rate": ("Webhook delivery success rate", "> 99 %"),
    "p95_latency_ms_7d": ("P95 API latency (last 7 days)", "< 200 ms"),
}
_HEALTH = (
    ("webhooks_failing", f"Webhooks failing now ({FAILING_AFTER}+ failures in a row)"),
    ("webhooks_disabled", "Webhooks disabled"),
    ("deliveries_exhausted_7d", "Deliveries given up (last 7 days)"),
)
_STATUS = {True: "met", False: "below target", None: "-"}


def _value(metrics: SuccessMetrics, name: str) -> str:
    value = getattr(metrics, name)
    if value is None:
        return "no data"
    if name == "delivery_success_rate":
        finished = metrics.deliveries_succeeded + metrics.deliveries_failed
        return f"{value * 100:.2f} % ({metrics.deliveries_succeeded}/{finished})"
    if name == "p95_latency_ms_7d":
        return f"{value:.1f} ms ({metrics.requests_7d} requests)"
    return str(value)


def cmd_metrics(args: argparse.Namespace, out: TextIO) -> None:
    with open_connect(args) as connect:
        metrics = connect.metrics.compute(None)
    rows: list[dict[str, Any]] = [
        {
            "metric": _LABELS[name][0],
            "value": _value(metrics, name),
            "target": _LABELS[name][1],
            "status": _STATUS[metrics.met(name)],
        }
        for name in TARGETS
    ] + [
        {"metric": label, "value": str(getattr(metrics, name)), "target": "", "status": "-"}
        for name, label in _HEALTH
    ]
    output(args, out, document(metrics), table(["metric", "value", "target", "status"], rows))


def register(commands: Any) -> None:
    parser = commands.add_parser("metrics", help="show the success metrics")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_flag(parser)
    parser.set_defaults(handler=cmd_metrics)
