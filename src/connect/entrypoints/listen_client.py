"""The two HTTP conversations of ``connect listen``: reading a remote Connect's event
feed with an API key, and forwarding each event, signed, to the local receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import urlencode

import urllib3
from attrs import frozen
from urllib3.exceptions import HTTPError, NewConnectionError

from connect.domain.errors import Forbidden, RateLimited, Unauthenticated
from connect.domain.events import EventType
from connect.domain.listening import FeedUnavailable, Position, raw_items
from connect.services.delivery import request_headers

PAGE: Final = 100
FEED_PATH: Final = "/api/v1/events"


@frozen
class FeedPage:
    """One answer of the feed: its items as raw JSON text, oldest first."""

    items: list[str]
    next_cursor: str | None
    etag: str | None
    more: bool


def _detail(reply: urllib3.BaseHTTPResponse) -> str:
    try:
        problem: Any = json.loads(reply.data)
    except ValueError:
        return reply.data[:200].decode(errors="replace")
    if isinstance(problem, dict):
        return str(problem.get("detail") or problem.get("title") or "")
    return ""


class FeedClient:
    """Reads ``GET /api/v1/events`` of the Connect at ``api`` with ``key``.

    Args:
        api: the service's base URL, e.g. ``http://127.0.0.1:8080``.
        key: an API key with ``submissions:read``; never printed.
        types: the event types to ask for (``None``: all of them).
    """

    def __init__(
        self,
        api: str,
        key: str,
        http: urllib3.PoolManager,
        types: Iterable[EventType] | None = None,
    ) -> None:
        self._base = api.rstrip("/") + FEED_PATH
        self._key = key
        self._http = http
        self._types = ",".join(sorted(t.value for t in types)) if types else None

    def _url(self, after: str | None) -> str:
        query: dict[str, str] = {"limit": str(PAGE)}
        if after is not None:
            query["after"] = after
        if self._types is not None:
            query["types"] = self._types
        return f"{self._base}?{urlencode(query)}"

    def poll(self, position: Position) -> FeedPage | None:
        """The events after ``position``, or ``None`` when nothing is new (``304``).

        Raises:
            Unauthenticated, Forbidden: the key is refused (wrong, revoked, no scope).
            RateLimited: the key's rate limit is reached (``retry_after`` seconds).
            FeedUnavailable: the service cannot be reached or did not answer the feed.
        """
        headers = {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}
        if position.etag is not None:
            headers["If-None-Match"] = f'"{position.etag}"'
        try:
            reply = self._http.request("GET", self._url(position.after), headers=headers)
        except HTTPError as e:
            raise FeedUnavailable(f"cannot reach {self._base}: {e}") from e
        if reply.status == 304:
            return None
        if reply.status == 401:
            raise Unauthenticated(f"the API refused the key: {_detail(reply)}")
        if reply.status == 403:
            raise Forbidden(f"the key may not read the event feed: {_detail(reply)}")
        if reply.status == 429:
            raise RateLimited("per-key", _retry_after(reply.headers.get("Retry-After")))
        if reply.status != 200:
            raise FeedUnavailable(f"{self._base} answered {reply.status}: {_detail(reply)}")
        try:
            text = reply.data.decode()
            envelope: Any = json.loads(text)
            items = raw_items(text)
        except ValueError as e:
            raise FeedUnavailable(f"{self._base} did not answer an event feed page") from e
        etag = reply.headers.get("ETag")
        return FeedPage(
            items=items,
            next_cursor=envelope.get("next_cursor"),
            etag=etag.strip('"') if etag else None,
            more=bool(envelope.get("has_more")),
        )

    def end(self) -> Position:
        """The position after the newest event now in the feed: "from now on"."""
        position = Position()
        while True:
            page = self.poll(position)
            if page is None:
                return position
            position = position.advance(page.next_cursor, page.etag)
            if not page.more:
                return position


def _retry_after(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


def _reason(error: HTTPError) -> str:
    """A short reason: urllib3's messages begin with the connection object's repr."""
    text = str(error)
    if isinstance(error, NewConnectionError):
        text = text.rsplit("] ", 1)[-1] if "] " in text else text
        return f"cannot connect: {text}"
    return f"{type(error).__name__}: {text}"


class Forwarder:
    """POSTs events to the local receiver, signed as Connect's worker signs them.

    Args:
        url: the receiver (``http://`` or ``https://``; localhost is fine: the laptop
            itself sends, so there is no SSRF to guard against).
        secret: the ``whsec_`` secret that signs every request.
        http: the connection pool (no retries, no redirects).
    """

    def __init__(self, url: str, secret: str, http: urllib3.PoolManager) -> None:
        self._url = url
        self._secret = secret
        self._http = http
        self._sent = 0

    def forward(self, body: bytes, event_id: str, event_type: str) -> tuple[int | None, str | None]:
        """Send one event's exact body with the worker's headers: the receiver's status,
        or the error that stopped it (never raised: the receiver's failures are the
        answer)."""
        self._sent += 1
        # NOTE: X-Connect-Delivery is this session's count of forwarded requests: there
        # is no delivery row on the server for a forwarded event.
        headers = request_headers(
            event_id=event_id,
            event=event_type,
            delivery_id=self._sent,
            attempt=1,
            timestamp=int(time.time()),
            body=body,
            secrets=[self._secret],
        )
        try:
            reply = self._http.request(
                "POST", self._url, body=body, headers=headers, redirect=False, retries=False
            )
        except HTTPError as e:
            return None, _reason(e)
        return reply.status, None
