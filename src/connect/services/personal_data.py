"""Retention and erasure of speakers' personal data (docs/data.md)."""

from __future__ import annotations

import logging
from datetime import datetime

from attrs import field, frozen

from connect.domain import events
from connect.domain.errors import NotFound
from connect.domain.keys import Principal
from connect.domain.retention import Census, Erased, Purged, cutoff
from connect.ports.system import Clock, Entropy
from connect.ports.unit_of_work import UnitOfWork
from connect.services.outbox import Outbox

log = logging.getLogger("connect.retention")


@frozen
class PurgeReport:
    """One purge: what was stored before and after, and what went (in a dry run, what
    would go; ``after`` is then ``before``)."""

    cutoff: datetime
    before: Census
    after: Census
    purged: Purged
    dry_run: bool


@frozen(eq=False)
class PersonalDataService:
    """Keeps personal data no longer than ``retention_days`` (``CONNECT_RETENTION_DAYS``)
    and erases a submission on request."""

    _uow: UnitOfWork
    _clock: Clock
    _entropy: Entropy
    _outbox: Outbox
    retention_days: int = field(kw_only=True)

    def erase(self, principal: Principal, id: int) -> Erased:
        """Delete a submission and scrub every stored copy of its data, in one
        transaction; then emit ``submission.deleted`` with its id alone.

        Raises:
            NotFound: no such submission in the key's mode (also when erased before).
        """
        now = self._clock.now().replace(microsecond=0)
        with self._uow() as stores:
            submission = stores.submissions.get(id, principal.mode)
            if submission is None:
                raise NotFound(f"no submission {id}")
            erased = stores.personal_data.erase_submission(id, submission.mode, now)
            deleted = events.submission_deleted(submission, now=now, choose=self._entropy.choice)
            self._outbox.enqueue(stores, deleted)
        self._outbox.committed()
        self._uow.forget_deleted()
        log.info(
            "erased submission %d: %d events and %d payloads scrubbed, %d deliveries "
            "cancelled, %d snippets cleared",
            id,
            erased.events,
            erased.payloads,
            erased.cancelled,
            erased.snippets,
            extra={"submission_id": id},
        )
        return erased

    def purge(self, *, dry_run: bool = False) -> PurgeReport:
        """Remove what is past retention (``domain.retention``), or with ``dry_run``
        only count it; logs the sizes before and after."""
        now = self._clock.now().replace(microsecond=0)
        limit = cutoff(now, self.retention_days)
        with self._uow(write=not dry_run) as stores:
            before = stores.personal_data.census()
            purged = stores.personal_data.purge(limit, dry_run=dry_run)
            after = before if dry_run else stores.personal_data.census()
        if not dry_run and purged.total:
            self._uow.forget_deleted()
        report = PurgeReport(limit, before, after, purged, dry_run)
        log.info(
            "%s past %d days: %d events, %d deliveries, %d snippets, %d audit entries; "
            "size %s -> %s",
            "would purge" if dry_run else "purged",
            self.retention_days,
            purged.events,
            purged.deliveries,
            purged.snippets,
            purged.audit_entries,
            _size(before.bytes),
            _size(after.bytes),
            extra={"dry_run": dry_run},
        )
        return report


def _size(value: int | None) -> str:
    return "n/a" if value is None else f"{value} bytes"
