"""A transaction over every store: all of it commits, or none of it."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from connect.ports.audit import AuditLog
from connect.ports.deliveries import DeliveryStore
from connect.ports.events import EventStore
from connect.ports.idempotency import IdempotencyStore
from connect.ports.keys import KeyStore
from connect.ports.metrics import MetricsQueries
from connect.ports.personal_data import PersonalDataStore
from connect.ports.submissions import SubmissionStore
from connect.ports.views import SubmissionViews
from connect.ports.webhooks import WebhookStore


class Stores(Protocol):
    """The stores as seen inside one transaction."""

    @property
    def submissions(self) -> SubmissionStore: ...

    @property
    def keys(self) -> KeyStore: ...

    @property
    def submission_views(self) -> SubmissionViews: ...

    @property
    def webhooks(self) -> WebhookStore: ...

    @property
    def deliveries(self) -> DeliveryStore: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def metrics(self) -> MetricsQueries: ...

    @property
    def idempotency(self) -> IdempotencyStore: ...

    @property
    def events(self) -> EventStore: ...

    @property
    def personal_data(self) -> PersonalDataStore: ...


class UnitOfWork(Protocol):
    def __call__(self, write: bool = True) -> AbstractContextManager[Stores]:
        """Open a transaction. Leaving the block commits; an exception rolls back.

        ``write=False`` promises the block only reads, which lets storage run it
        beside writers; each read is then consistent on its own, not with the others.
        """
        ...

    def ping(self) -> None:
        """Raise if storage does not answer."""
        ...

    def forget_deleted(self) -> None:
        """Drop what storage still holds of deleted rows outside its tables (SQLite:
        checkpoint the write-ahead log and truncate it). Run outside a transaction."""
        ...

    def close(self) -> None: ...
