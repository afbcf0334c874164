"""waitress as Connect runs it: its own error answers as RFC 9457 problems, and a body
that stops arriving answered in seconds.

waitress answers some requests itself, before the app sees them: a header block over
its limit (431), a body over its ceiling (413), a bad ``Content-Length`` or chunk size
(400), an app that failed before it started its answer (500). Out of the box those are
``text/plain``; here they are the same ``application/problem+json`` the app answers
with (``connect.adapters.http.problems``).

A client that sends fewer bytes than its ``Content-Length`` and then waits would hold
the connection until waitress's ``channel_timeout`` (120 s) and then be cut off with
no answer. ``ProblemChannel`` gives such a body ``BODY_STALL_SECONDS`` without a byte,
then answers 400 and closes.

NOTE: the deadline is measured from the last byte received, not from the start of
the body: a slow but steady upload is never cut off, and one that stops is answered
within about ``BODY_STALL_SECONDS`` plus one turn of waitress's loop (at most
``asyncore_loop_timeout``, 1 s by default). The check runs in ``readable()``, which
waitress's loop calls for every connection on every turn, on the loop's thread.
"""

from __future__ import annotations

import json
import time
from contextlib import suppress
from typing import Any, Final

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer
from waitress.task import ErrorTask
from waitress.utilities import BadRequest, Error

from connect.adapters.http.problem_types import BODY_STALL_SECONDS, MAX_BODY, PROBLEM_JSON
from connect.adapters.http.problems import (
    Problem,
    internal,
    kinds_by_status,
    too_large,
    with_error_member,
)
from connect.adapters.http.routes import ROUTES, error_member_paths

# How much unread input a closing connection reads and drops (see handle_close).
DISCARD_ON_CLOSE: Final = 4 * 1024 * 1024
# NOTE: the app owns the body limit (BodyLimit and read_json answer 413 for anything
# over MAX_BODY, with the request id and an audit entry). waitress buffers a whole
# body before the app runs, so it keeps a ceiling of its own: a Content-Length past
# it is refused as soon as the headers are read, before any of the body is buffered.
BODY_CEILING: Final = 2 * MAX_BODY

_KINDS: Final = kinds_by_status("malformed-request", "headers-too-large", "not-implemented")


def problem_for_waitress(error: Error) -> Problem:
    """The problem answering one of waitress's own errors."""
    if error.code == 413:
        return too_large(MAX_BODY)
    if error.code == 500:
        # NOTE: waitress's text may carry a traceback (expose_tracebacks); never send it.
        return internal()
    kind = _KINDS.get(error.code)
    if kind is None:
        return Problem("http-error", str(error.body), status=error.code, title=error.reason)
    return Problem(kind, str(error.body))


class ProblemErrorTask(ErrorTask):  # type: ignore[misc]
    """waitress's ``ErrorTask``, answering ``application/problem+json``."""

    def execute(self) -> None:
        error = self.request.error
        problem = problem_for_waitress(error).to_dict()
        # NOTE: the path is known once the request line was read; a header block too
        # large to read (431) or a request line that does not parse has none.
        path = (getattr(self.request, "path", "") or "").rstrip("/") or "/"
        if path in getattr(self.channel.server, "error_paths", ()):
            problem = with_error_member(problem)
        body = json.dumps(problem).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", PROBLEM_JSON))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class ProblemChannel(HTTPChannel):  # type: ignore[misc]
    """waitress's connection, with problem answers and a deadline for a stalled body."""

    error_task_class = ProblemErrorTask

    def readable(self) -> bool:
        # NOTE: asked by the I/O loop for every connection on every turn: the clock is
        # read only for a connection with a request being received.
        if self.request is not None:
            self._answer_stalled_body(time.time())
        return bool(HTTPChannel.readable(self))

    def handle_close(self) -> None:
        # NOTE: closing a socket with unread input makes the kernel send a reset, and
        # a reset can destroy the answer the client has not read yet: the 431, 413 or
        # 400 just sent for a request whose rest was never read. Dropping what already
        # arrived (bounded, without blocking: the socket is non-blocking) lets the
        # close be an orderly one. Bytes still in flight can still turn it into a
        # reset, but after the answer, which clients read by its Content-Length.
        dropped = 0
        with suppress(OSError):
            while dropped < DISCARD_ON_CLOSE:
                chunk = self.socket.recv(65536)
                if not chunk:
                    break
                dropped += len(chunk)
        super().handle_close()

    def _answer_stalled_body(self, now: float) -> None:
        request: Any = self.request  # type: ignore[has-type]
        if (
            not request.headers_finished
            or request.completed
            # NOTE: while an earlier request on this connection is being answered,
            # waitress reads nothing more, so the body cannot be late yet.
            or self.requests
            or now - self.last_activity < BODY_STALL_SECONDS
        ):
            return
        with self.requests_lock:
            if self.request is not request or self.requests:  # type: ignore[has-type]
                return
            missing = getattr(request.body_rcv, "remain", None)
            detail = f"the body stopped arriving for {BODY_STALL_SECONDS:g} seconds"
            if missing is not None:
                detail += f", {missing} bytes short of its Content-Length"
            request.error = BadRequest(detail)
            request.completed = True
            self.requests.append(request)
            self.request = None
            self.server.add_task(self)


def create_server(app: Any, **adjustments: Any) -> Any:
    """``waitress.create_server`` with Connect's settings and ``ProblemChannel``; the
    ``adjustments`` (``host``, ``port``, ``threads``, ...) override Connect's defaults.

    Problems on the route table's ``error_member`` paths carry ``error``, as the app's do.
    """
    paths = frozenset(error_member_paths(ROUTES))
    settings: dict[str, Any] = {
        "ident": "connect",
        "max_request_body_size": BODY_CEILING,
        "clear_untrusted_proxy_headers": True,
        # NOTE: waitress lets a response run up to 16 MiB ahead of a slow client by
        # default, and each thread keeps that memory; 2 MiB keeps a streamed export's
        # memory flat without slowing it (bench/exports.py).
        "outbuf_high_watermark": 2 * 1024 * 1024,
        **adjustments,
    }
    server = waitress.create_server(app, **settings)
    # NOTE: waitress has no setting for the channel class; every listening server
    # (one per address) accepts with its own ``channel_class``, read at accept time.
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = ProblemChannel
            listener.error_paths = paths
    return server
