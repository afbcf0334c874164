"""What waitress answers itself (bad framing, oversize headers or bodies, a body that
stops) is an RFC 9457 problem too, and a stalled body is answered in seconds."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from waitress.utilities import (
    BadRequest,
    InternalServerError,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    ServerNotImplemented,
)

from connect.adapters.http.problem_types import PROBLEM_TYPES
from connect.adapters.http.server import BODY_STALL_SECONDS, problem_for_waitress
from tests.e2e.server import RunningServer

# NOTE: a bound on waiting, not a speed assertion: waitress alone would wait 120 s.
PATIENCE = BODY_STALL_SECONDS + 10


class Answer:
    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}

    def problem(self) -> dict[str, Any]:
        assert self.headers["content-type"] == "application/problem+json", self.headers
        document: dict[str, Any] = json.loads(self.body)
        assert document["status"] == self.status
        assert document["type"].startswith("/docs/api#problem-")
        assert document["title"] and document["detail"]
        return document


@pytest.fixture
def connection(server: RunningServer) -> Iterator[socket.socket]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE) as sock:
        yield sock


def answer(sock: socket.socket) -> Answer:
    """One answer, read as far as its Content-Length, as an HTTP client reads it.

    NOTE: not read until the server closes: a server that closes with request bytes it
    never read (the rest of an oversized header block) makes the kernel end the
    connection with a reset, and ``recv`` then raises instead of returning ``b""``.
    """
    raw = b""
    while b"\r\n\r\n" not in raw:
        raw += receive(sock)
    reply = Answer(raw)
    while len(reply.body) < int(reply.headers["content-length"]):
        reply.body += receive(sock)
    return reply


def receive(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    assert chunk, "the server closed the connection before its answer was complete"
    return chunk


def post(path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_a_header_block_over_the_limit_is_a_431_problem(connection: socket.socket) -> None:
    connection.sendall(post("/api/submissions", {"X-Padding": "a" * 300_000}))
    reply = answer(connection)
    assert reply.status == 431
    assert reply.problem()["type"] == "/docs/api#problem-headers-too-large"


def test_a_content_length_past_the_ceiling_is_refused_before_the_body_is_sent(
    connection: socket.socket,
) -> None:
    connection.sendall(post("/api/submissions", {"Content-Length": str(50 * 1024 * 1024)}))
    reply = answer(connection)
    assert reply.status == 413
    problem = reply.problem()
    assert problem["type"] == "/docs/api#problem-body-too-large"
    assert problem["detail"] == "the request body is over 1048576 bytes"


def test_a_body_just_over_the_limit_is_refused_by_the_app_with_a_request_id(
    server: RunningServer,
) -> None:
    reply = server.request("POST", "/api/submissions", body=b" " * (1024 * 1024 + 1))
    assert reply.status == 413 and reply.headers["Content-Type"] == "application/problem+json"
    assert reply.json()["detail"] == "the request body is over 1048576 bytes"
    assert "request_id" in reply.json()


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Length": "ten"}, b"{}"),
        ({"Content-Length": "-5"}, b"{}"),
        ({"Content-Length": "2, 3"}, b"{}"),
        ({"Transfer-Encoding": "chunked"}, b"zz\r\n{}\r\n0\r\n\r\n"),
        ({"Transfer-Encoding": "chunked"}, b"2;\x00\r\n{}\r\n0\r\n\r\n"),
    ],
)
def test_bad_framing_is_a_400_problem(
    server: RunningServer, connection: socket.socket, headers: dict[str, str], body: bytes
) -> None:
    connection.sendall(post("/api/submissions", headers, body))
    reply = answer(connection)
    assert reply.status == 400 and reply.problem()["type"] == "/docs/api#problem-malformed-request"
    assert server.request("GET", "/api/v1/submissions", token=server.organizer).json()["data"] == []


def test_a_transfer_encoding_waitress_cannot_read_is_a_501_problem(
    connection: socket.socket,
) -> None:
    connection.sendall(
        post("/api/submissions", {"Transfer-Encoding": "gzip, chunked"}, b"0\r\n\r\n")
    )
    reply = answer(connection)
    assert reply.status == 501 and reply.problem()["type"] == "/docs/api#problem-not-implemented"


def test_every_problem_waitress_answers_with_is_documented() -> None:
    kinds = {p.kind for p in PROBLEM_TYPES}
    for error in (BadRequest, RequestHeaderFieldsTooLarge, RequestEntityTooLarge):
        assert problem_for_waitress(error("x")).kind in kinds
    assert problem_for_waitress(ServerNotImplemented("x")).kind in kinds
    assert problem_for_waitress(InternalServerError("x")).kind in kinds


def test_a_body_shorter_than_its_content_length_is_a_400_within_seconds(
    server: RunningServer, connection: socket.socket
) -> None:
    sent = b'{"speakerName": "Ferris"'
    connection.sendall(post("/api/submissions", {"Content-Length": "100"}, sent))
    started = time.monotonic()
    reply = answer(connection)
    waited = time.monotonic() - started
    assert reply.status == 400, reply.body
    problem = reply.problem()
    assert f"{100 - len(sent)} bytes short of its Content-Length" in problem["detail"]
    assert BODY_STALL_SECONDS <= waited < PATIENCE
    assert server.request("GET", "/api/v1/submissions", token=server.organizer).json()["data"] == []


def test_a_slow_but_steady_body_is_not_cut_off(
    server: RunningServer, connection: socket.socket
) -> None:
    body = json.dumps({"speakerName": "Ferris", "talkContext": "Slow uploads"}).encode()
    connection.sendall(post("/api/submissions", {"Content-Length": str(len(body))}))
    pause = BODY_STALL_SECONDS / 2
    third = len(body) // 3
    for piece in (body[:third], body[third : 2 * third], body[2 * third :]):
        time.sleep(pause)
        connection.sendall(piece)
    connection.shutdown(socket.SHUT_WR)
    reply = answer(connection)
    assert reply.status == 201, reply.body
    assert json.loads(reply.body)["submissionId"] == 1


def test_waitress_never_sends_its_own_error_text_for_a_500() -> None:
    problem = problem_for_waitress(InternalServerError("Traceback (most recent call last): ..."))
    document = problem.to_dict()
    assert document["status"] == 500 and document["type"] == "/docs/api#problem-internal"
    assert "Traceback" not in json.dumps(document)
