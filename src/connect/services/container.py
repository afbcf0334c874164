"""Every service, wired: what the HTTP app, the CLI and embedders are given."""

from __future__ import annotations

from attrs import define

from connect.ports.system import Clock
from connect.ports.unit_of_work import UnitOfWork
from connect.services.audit import AuditService
from connect.services.delivery import DeliveryService
from connect.services.exports import ExportService
from connect.services.feed import FeedService
from connect.services.keys import KeyService
from connect.services.metrics import MetricsService
from connect.services.outbox import Outbox
from connect.services.personal_data import PersonalDataService
from connect.services.rate_limits import RateLimits
from connect.services.submissions import SubmissionService
from connect.services.webhooks import WebhookService


@define
class Services:
    """The use cases of Connect over one storage."""

    uow: UnitOfWork
    clock: Clock
    keys: KeyService
    submissions: SubmissionService
    webhooks: WebhookService
    deliveries: DeliveryService
    outbox: Outbox
    exports: ExportService
    rate_limits: RateLimits
    audit: AuditService
    metrics: MetricsService
    feed: FeedService
    personal_data: PersonalDataService

    def healthy(self) -> bool:
        """Whether storage answers."""
        try:
            self.uow.ping()
        except Exception:
            return False
        return True
