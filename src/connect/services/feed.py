"""The event feed, for integrations that poll instead of receiving webhooks."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from connect.domain.events import EventType
from connect.domain.feed import FeedEvent, feed_etag, parse_types
from connect.domain.keys import Principal
from connect.domain.pagination import decode_cursor, encode_cursor
from connect.ports.unit_of_work import UnitOfWork


@frozen
class FeedQuery:
    """One feed request: the position to resume after, the types, the page size."""

    after: int | None
    types: frozenset[EventType] | None
    limit: int

    @classmethod
    def parse(cls, after: str | None, types: str | None, limit: int) -> FeedQuery:
        """Raises:
        ValidationFailed: a cursor this API did not make, or an unknown event type.
        """
        return cls(decode_cursor(after), parse_types(types), limit)


@frozen
class FeedPage:
    """Events oldest first. ``next_cursor`` resumes after the last one shown, also on
    the last page (a poller keeps it and asks again later); ``more`` says whether
    events are already waiting after it."""

    events: Sequence[FeedEvent]
    next_cursor: str | None
    etag: str
    more: bool


@frozen(eq=False)
class FeedService:
    """Reads the event feed: the events of the key's own mode, in the order they
    happened, with the bodies their webhooks carry."""

    _uow: UnitOfWork

    def etag(self, principal: Principal, query: FeedQuery) -> str:
        """The page's current validator, read cheaply (no event is loaded)."""
        with self._uow(write=False) as stores:
            last = stores.events.last(principal.mode, query.types)
        return feed_etag(principal.mode, query.types, query.after, query.limit, last)

    def page(self, principal: Principal, query: FeedQuery) -> FeedPage:
        """Up to ``query.limit`` events after its cursor, of its types."""
        with self._uow(write=False) as stores:
            # NOTE: the newest position is read before the page, so an event committed
            # in between is in the page but not in the tag, never the other way round
            # (which would answer 304 to a poller that has not seen it).
            last = stores.events.last(principal.mode, query.types)
            rows = stores.events.page(
                principal.mode, limit=query.limit + 1, after=query.after, types=query.types
            )
        shown = rows[: query.limit]
        resume = shown[-1].position if shown else query.after
        return FeedPage(
            events=shown,
            next_cursor=encode_cursor(resume) if resume is not None else None,
            etag=feed_etag(principal.mode, query.types, query.after, query.limit, last),
            more=len(rows) > query.limit,
        )
