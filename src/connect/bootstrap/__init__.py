"""The one composition root: configuration -> adapters -> services.

Both the HTTP app and the worker are built from what ``bootstrap`` returns, and
embedders get the same object through ``Connect.open`` or ``Connect.in_memory``.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import TypedDict, Unpack

from attrs import define, field

from connect.adapters.hashing import Argon2Hasher, VerifiedTokenCache

# NOTE: entrypoints reach adapters only through this module (an import-linter
# contract); what they need is re-exported here (``as``): the WSGI app, its waitress
# server and the delivery worker.
from connect.adapters.http import create_app as create_app
from connect.adapters.http import create_server as create_server
from connect.adapters.mail import SmtpMailer
from connect.adapters.memory import MemoryUnitOfWork
from connect.adapters.postgres import PostgresUnitOfWork
from connect.adapters.postgres.notifications import DeliveryListener
from connect.adapters.postgres.rate_limit import PostgresRateLimiter
from connect.adapters.ratelimit import InProcessRateLimiter
from connect.adapters.sender import Urllib3Sender
from connect.adapters.system import SecretsEntropy, SystemClock
from connect.adapters.system.worker import DeliveryWorker as DeliveryWorker
from connect.bootstrap.storage import migrate_data as migrate_data
from connect.bootstrap.storage import rotate_encryption_key as rotate_encryption_key
from connect.bootstrap.storage import sqlite_storage as sqlite_storage
from connect.bootstrap.storage import storage as storage
from connect.config import Config, ConfigError
from connect.domain.exports.ics import CalendarSettings
from connect.ports.hashing import TokenHasher
from connect.ports.sender import WebhookSender
from connect.ports.system import Clock, Entropy
from connect.ports.unit_of_work import UnitOfWork
from connect.services.alerts import AlertMail
from connect.services.audit import AuditService, AuditWriter
from connect.services.container import Services
from connect.services.delivery import DeliveryService
from connect.services.exports import ExportService
from connect.services.feed import FeedService
from connect.services.keys import KeyService
from connect.services.metrics import MetricsService
from connect.services.outbox import Outbox
from connect.services.personal_data import PersonalDataService
from connect.services.rate_limits import RateLimits, RatePolicies
from connect.services.submissions import SubmissionService
from connect.services.webhooks import WebhookService

POLL_SECONDS = 0.05
LISTENING_POLL_SECONDS = 1.0


class Adapters(TypedDict, total=False):
    """Adapters to use instead of the system clock, ``secrets``, argon2 and urllib3
    (``connect.testing`` has doubles for each)."""

    clock: Clock
    entropy: Entropy
    hasher: TokenHasher
    sender: WebhookSender


@define
class Connect(Services):
    """Connect's services, wired to one storage.

    Use ``Connect.open("connect.db")`` for the SQLite file or ``Connect.in_memory()``
    for tests and throw-away embedding; pass it to ``connect.create_app`` to serve HTTP.
    """

    config: Config = field(factory=Config)
    alerts: AlertMail | None = None
    listeners: list[DeliveryListener] = field(factory=list, init=False)

    @classmethod
    def open(
        cls, path_or_config: str | Path | Config = "connect.db", **adapters: Unpack[Adapters]
    ) -> Connect:
        """Open (and migrate) a SQLite file or, given a ``postgresql://`` URL, a
        PostgreSQL database.

        Args:
            path_or_config: a database path or URL, or a full ``Config``.

        Raises:
            StorageUnavailable: the database (or its key file) cannot be created,
                opened or written.
            SchemaTooNew: a newer Connect migrated the database.
            ConfigError: PostgreSQL without ``CONNECT_SECRET_KEY``.
        """
        config = (
            path_or_config if isinstance(path_or_config, Config) else Config(db=str(path_or_config))
        )
        uow = storage(config)
        try:
            uow.migrate()
        except BaseException:
            uow.close()
            raise
        return bootstrap(config, uow, **adapters)

    @classmethod
    def in_memory(cls, config: Config | None = None, **adapters: Unpack[Adapters]) -> Connect:
        """Everything in process memory; nothing touches the disk (``config``'s ``db``
        is ignored)."""
        return bootstrap(config or Config(db=":memory:"), MemoryUnitOfWork(), **adapters)

    def worker(self, concurrency: int | None = None) -> DeliveryWorker:
        """A delivery worker over these services, woken by every commit here that
        enqueues deliveries and, on PostgreSQL, by every such commit in any process
        (``LISTEN``). Run it with ``worker.run()`` (blocks until ``stop()``)."""
        listen = self.uow.listen if isinstance(self.uow, PostgresUnitOfWork) else None
        worker = DeliveryWorker(
            self.deliveries,
            concurrency=concurrency or self.config.worker_concurrency,
            pace=shared_limiter(self.uow),
            rate=self.config.delivery_rate_per_second,
            lease_seconds=self.config.worker_lease_seconds,
            # NOTE: woken by the database, the worker polls only for retries falling
            # due and missed wake-ups (see docs/benchmarks.md).
            poll_seconds=POLL_SECONDS if listen is None else LISTENING_POLL_SECONDS,
        )
        self.outbox.listen(worker.wake)
        if listen is not None:
            self.listeners.append(listen(worker.wake))
        return worker

    def close(self) -> None:
        """Release storage (and flush anything buffered)."""
        for listener in self.listeners:
            listener.stop()
        self.listeners.clear()
        self.audit.close()
        if self.alerts is not None:
            self.alerts.close()
        self.uow.close()


def shared_limiter(uow: UnitOfWork) -> PostgresRateLimiter | None:
    """The rate limiter every process shares, where storage has one (PostgreSQL)."""
    return PostgresRateLimiter(uow) if isinstance(uow, PostgresUnitOfWork) else None


def bootstrap(config: Config, uow: UnitOfWork, **adapters: Unpack[Adapters]) -> Connect:
    """Wire the services over ``uow``; any adapter not given is the production one."""
    clock = adapters.get("clock") or SystemClock()
    entropy = adapters.get("entropy") or SecretsEntropy()
    hasher = adapters.get("hasher")
    if hasher is None:
        # NOTE: not ``hasher or ...``: an empty VerifiedTokenCache is falsy (__len__).
        hasher = VerifiedTokenCache(Argon2Hasher(concurrency=config.argon2_concurrency))
    outbox = Outbox()
    alerts = alert_mail(config)
    sender = adapters.get("sender") or Urllib3Sender(
        config.webhook_allow_networks, config.webhook_ca_bundle
    )
    deliveries = DeliveryService(
        uow,
        clock,
        sender,
        schedule=config.retry_schedule,
        random=random.Random().random,
        outbox=outbox,
        choose=entropy.choice,
        alerts=alerts.notify if alerts is not None else None,
    )
    return Connect(
        uow=uow,
        clock=clock,
        keys=KeyService(uow, clock, entropy, hasher),
        submissions=SubmissionService(uow, clock, entropy, outbox),
        exports=ExportService(uow, clock, calendar_settings(config)),
        rate_limits=RateLimits(
            shared_limiter(uow) or InProcessRateLimiter(),
            RatePolicies.of(
                config.rate_limit_per_minute,
                config.export_limit_per_hour,
                config.form_limit,
                config.auth_failure_limit,
                config.auth_failure_limit_per_key,
            ),
        ),
        audit=AuditService(uow, AuditWriter(uow) if config.audit else None),
        metrics=MetricsService(uow, clock),
        feed=FeedService(uow),
        personal_data=PersonalDataService(
            uow, clock, entropy, outbox, retention_days=config.retention_days
        ),
        config=config,
        webhooks=WebhookService(
            uow, clock, entropy, deliveries, outbox, allow_networks=config.webhook_allow_networks
        ),
        deliveries=deliveries,
        outbox=outbox,
        alerts=alerts,
    )


def alert_mail(config: Config) -> AlertMail | None:
    """E-mail alerts when both ``CONNECT_SMTP_URL`` and ``CONNECT_ALERT_EMAIL`` are set.

    Raises:
        ConfigError: only one of the two is set.
    """
    if config.smtp_url is None and not config.alert_email:
        return None
    if config.smtp_url is None or not config.alert_email:
        raise ConfigError("CONNECT_SMTP_URL and CONNECT_ALERT_EMAIL go together: set both")
    return AlertMail(SmtpMailer(config.smtp_url), config.alert_email)


def calendar_settings(config: Config) -> CalendarSettings:
    """The iCalendar feed's settings, from the ``CONNECT_CALENDAR_*`` configuration."""
    return CalendarSettings(
        name=config.calendar_name,
        timezone=config.calendar_timezone,
        start=config.calendar_start,
        duration=timedelta(minutes=config.calendar_duration_minutes),
        refresh=timedelta(minutes=config.calendar_refresh_minutes),
        uid_host=config.calendar_uid_host,
    )
