"""The success metrics document (``GET /api/v1/metrics``, ``connect metrics --json``)."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from attrs import field, frozen, make_class

from connect.domain.metrics import TARGETS, WINDOW_DAYS, SuccessMetrics
from connect.domain.operational import FAILING_AFTER
from connect.domain.shapes import describe, project

_COUNT: Final = describe("A count.", minimum=0)


@frozen
class TargetDocument:
    """One of the seed's goals: the metric compared (op) with a value."""

    op: str = field(
        metadata=describe("The comparison.", enum=sorted({op for op, _ in TARGETS.values()}))
    )
    value: float
    met: bool | None = field(metadata=describe("null while there is nothing to measure."))


# NOTE: one member per target, made from TARGETS so a new target is documented too.
TargetsDocument = make_class(
    "TargetsDocument",
    {
        name: field(
            type=TargetDocument,
            metadata=describe(
                f"{name} {op} {value}.", example={"op": op, "value": value, "met": True}
            ),
        )
        for name, (op, value) in TARGETS.items()
    },
    class_body={"__doc__": "The seed's goals, each with whether it is met now."},
    frozen=True,
)


@frozen
class DeliveriesDocument:
    """Finished deliveries."""

    succeeded: int = field(metadata=_COUNT)
    failed: int = field(metadata=_COUNT)


@frozen
class MetricsDocument:
    """The success metrics, computed from the audit log and delivery tables; the _7d
    figures cover the last window_days days."""

    api_keys_created: int = field(metadata=_COUNT)
    webhooks_registered: int = field(metadata=_COUNT)
    export_downloads_7d: int = field(metadata=_COUNT)
    delivery_success_rate: float | None = field(
        metadata=describe(
            "Succeeded over finished deliveries; null before any finished.", minimum=0, maximum=1
        )
    )
    deliveries: DeliveriesDocument
    p95_latency_ms_7d: float | None = field(metadata=describe("null if no request.", minimum=0))
    requests_7d: int = field(metadata=_COUNT)
    webhooks_failing: int = field(
        metadata=describe(f"Active, {FAILING_AFTER}+ failed attempts in a row.", minimum=0)
    )
    webhooks_disabled: int = field(metadata=_COUNT)
    deliveries_exhausted_7d: int = field(
        metadata=describe("Given up (last attempt failed), test sends left out.", minimum=0)
    )
    window_days: int = field(metadata=describe("Days of the _7d figures.", const=WINDOW_DAYS))
    targets: TargetsDocument  # type: ignore[valid-type]
    computed_at: datetime

    @classmethod
    def of(cls, metrics: SuccessMetrics) -> MetricsDocument:
        targets = {n: TargetDocument(op, v, metrics.met(n)) for n, (op, v) in TARGETS.items()}
        return project(
            cls,
            metrics,
            deliveries=DeliveriesDocument(metrics.deliveries_succeeded, metrics.deliveries_failed),
            window_days=WINDOW_DAYS,
            targets=TargetsDocument(**targets),
        )
