"""Talk submissions: the speakers' form, the API's create/update, and the read side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from attrs import asdict, frozen

from connect.domain import events
from connect.domain.errors import NotFound
from connect.domain.idempotency import (
    IdempotencyRecord,
    oldest_kept,
    parse_idempotency_key,
    request_fingerprint,
)
from connect.domain.keys import Principal
from connect.domain.mode import Mode
from connect.domain.pagination import JsonPage, Page, decode_cursor, page_of
from connect.domain.requests.submissions import SubmissionFields, SubmissionPatch
from connect.domain.submission_query import SubmissionQuery
from connect.domain.submissions import Submission, apply_patch, new_submission
from connect.ports.system import Clock, Entropy
from connect.ports.unit_of_work import Stores, UnitOfWork
from connect.services.outbox import Outbox


@frozen
class Created:
    """A created submission; ``replayed`` when an earlier request with the same
    idempotency key created it and this one created nothing."""

    submission: Submission
    replayed: bool = False


@frozen(eq=False)
class SubmissionService:
    """Creates and changes submissions; every change and the events it causes (the
    ``outbox`` records them) commit together."""

    _uow: UnitOfWork
    _clock: Clock
    _entropy: Entropy
    _outbox: Outbox

    def submit_form(self, fields: SubmissionFields) -> Submission:
        """The public speakers' form. Always live mode."""
        return self._create(fields, Mode.LIVE).submission

    def create(self, principal: Principal, fields: SubmissionFields) -> Submission:
        """Create a submission in the key's mode."""
        return self._create(fields, principal.mode).submission

    def create_once(
        self, principal: Principal, fields: SubmissionFields, idempotency_key: str
    ) -> Created:
        """``create``, made safe to retry with an ``idempotency_key`` (the
        ``Idempotency-Key`` header): a retry of the same request by the same API key
        within 24 hours creates nothing and returns the submission the first one
        created, as it is now, ``replayed``.

        Raises:
            InvalidIdempotencyKey: not 1 to 255 visible ASCII characters.
            IdempotencyKeyReused: the key came with a different request before.
        """
        once = (principal.key, parse_idempotency_key(idempotency_key))
        return self._create(fields, principal.mode, once)

    def _create(
        self, fields: SubmissionFields, mode: Mode, once: tuple[int, str] | None = None
    ) -> Created:
        now = self._clock.now().replace(microsecond=0)
        new = new_submission(fields, mode=mode, now=now)
        with self._uow() as stores:
            if once is not None:
                earlier = self._earlier(stores, once, fields, mode, now)
                if earlier is not None:
                    return Created(earlier, replayed=True)
            submission = stores.submissions.add(new)
            created = events.submission_created(submission, now=now, choose=self._entropy.choice)
            self._outbox.enqueue(stores, created)
            if once is not None:
                api_key, key = once
                fingerprint = request_fingerprint(asdict(fields))
                stores.idempotency.add(
                    IdempotencyRecord(api_key, key, fingerprint, submission.id, now)
                )
        self._outbox.committed()
        return Created(submission)

    def _earlier(
        self,
        stores: Stores,
        once: tuple[int, str],
        fields: SubmissionFields,
        mode: Mode,
        now: datetime,
    ) -> Submission | None:
        """What a retry of the same request already created, or ``None``."""
        stores.idempotency.purge(oldest_kept(now))
        found = stores.idempotency.find(*once)
        if found is None:
            return None
        found.ensure_same_request(request_fingerprint(asdict(fields)))
        earlier = stores.submissions.get(found.submission_id, mode)
        if earlier is None:
            raise NotFound(f"submission {found.submission_id} is gone")
        return earlier

    def update(self, principal: Principal, id: int, patch: SubmissionPatch) -> Submission:
        """Apply a partial update; emits ``submission.updated`` and, when a date is set
        or moved, ``talk.scheduled``.

        Raises:
            NotFound: no such submission in the key's mode.
            ValidationFailed: the patch contradicts itself or the lifecycle; nothing
                is stored.
        """
        now = self._clock.now().replace(microsecond=0)
        with self._uow() as stores:
            current = stores.submissions.get(id, principal.mode)
            if current is None:
                raise NotFound(f"no submission {id}")
            change = apply_patch(current, patch, now=now)
            caused = events.submission_changed(change, now=now, choose=self._entropy.choice)
            if change.changed:
                stores.submissions.save(change.submission)
                self._outbox.enqueue(stores, caused)
        if caused:
            self._outbox.committed()
        return change.submission

    def get(self, principal: Principal, id: int) -> Submission:
        with self._uow(write=False) as stores:
            found = stores.submissions.get(id, principal.mode)
        if found is None:
            raise NotFound(f"no submission {id}")
        return found

    def list(
        self,
        principal: Principal,
        *,
        limit: int,
        cursor: str | None = None,
        status: str | None = None,
        since: str | None = None,
        q: str | None = None,
    ) -> Page[Submission]:
        """Newest first, ``limit`` at a time, of the key's mode; the filters are read by
        ``SubmissionQuery.parse``.

        Raises:
            ValidationFailed: a bad cursor or filter.
        """
        before = decode_cursor(cursor)
        query = SubmissionQuery.parse(principal.mode, status=status, since=since, q=q)
        with self._uow(write=False) as stores:
            rows = stores.submissions.list(query, limit=limit + 1, before=before)
        return page_of(rows, limit, lambda s: s.id)

    def list_json(
        self,
        principal: Principal,
        *,
        limit: int,
        cursor: str | None = None,
        status: str | None = None,
        since: str | None = None,
        q: str | None = None,
    ) -> JsonPage:
        """``list``, rendered by storage as one JSON array (the HTTP API's hot path)."""
        before = decode_cursor(cursor)
        query = SubmissionQuery.parse(principal.mode, status=status, since=since, q=q)
        with self._uow(write=False) as stores:
            return stores.submission_views.page(query, limit=limit, before=before)

    def schedule(self, principal: Principal) -> Sequence[Submission]:
        """Scheduled talks, ordered by date."""
        with self._uow(write=False) as stores:
            return stores.submissions.scheduled(principal.mode)
