"""The urllib3 sender against a real HTTPS receiver: SSRF checks at send time, TLS."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from connect.adapters.sender import Urllib3Sender
from tests.e2e.receiver import Receiver, write_ca

pytestmark = pytest.mark.e2e
LOOPBACK = ("127.0.0.0/8", "::1/128")


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def inbox(ca: trustme.CA) -> Iterator[Receiver]:
    receiver = Receiver(ca)
    yield receiver
    receiver.close()


@pytest.fixture
def bundle(ca: trustme.CA, tmp_path: Path) -> str:
    return str(write_ca(ca, tmp_path))


def resolving_to(address: str):
    return lambda host, port: [address]


def test_a_name_resolving_to_loopback_is_refused_and_nothing_is_sent(inbox, bundle):
    sender = Urllib3Sender(ca_bundle=bundle, resolve=resolving_to("127.0.0.1"))
    result = sender.send(f"https://hooks.example.com:{inbox.port}/hook", b"{}", {})
    assert result.status_code is None and "refused" in (result.error or "")
    real = Urllib3Sender(ca_bundle=bundle).send(f"https://localhost:{inbox.port}/hook", b"{}", {})
    assert real.status_code is None and "refused" in (real.error or "")
    assert inbox.count() == 0


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]", "0.0.0.0", "[::]"]
)
def test_every_spelling_of_an_internal_address_is_refused_at_send_time(inbox, bundle, host):
    result = Urllib3Sender(ca_bundle=bundle).send(f"https://{host}:{inbox.port}/hook", b"{}", {})
    assert result.status_code is None and "refused" in (result.error or "")
    assert inbox.count() == 0


def test_an_allow_listed_name_is_sent_to_the_vetted_address_with_tls_verified(inbox, bundle):
    sender = Urllib3Sender(LOOPBACK, bundle, resolve=resolving_to("127.0.0.1"))
    ok = sender.send(f"https://localhost:{inbox.port}/hook", b'{"a":1}', {"X-Test": "1"})
    assert ok.status_code == 200 and ok.response_snippet == "received", ok
    assert inbox.received[0].body == b'{"a":1}'
    assert inbox.received[0].headers["Host"] == f"localhost:{inbox.port}"
    # The certificate names localhost, not this host: the hostname is still verified.
    wrong = sender.send(f"https://hooks.example.com:{inbox.port}/hook", b"{}", {})
    assert wrong.status_code is None and wrong.error
    assert inbox.count() == 1


def test_an_untrusted_certificate_fails_and_redirects_are_not_followed(inbox, bundle):
    untrusted = Urllib3Sender(LOOPBACK).send(inbox.url, b"{}", {})
    assert untrusted.status_code is None and untrusted.error
    inbox.script = [302]
    redirected = Urllib3Sender(LOOPBACK, bundle).send(inbox.url, b"{}", {})
    assert redirected.status_code == 302
    assert inbox.count() == 1


def test_a_dns_lookup_that_never_answers_gives_up_after_the_connect_timeout(inbox, bundle):
    answered = threading.Event()

    def silent(host: str, port: int) -> list[str]:
        answered.wait(30)
        return ["127.0.0.1"]

    sender = Urllib3Sender(LOOPBACK, bundle, connect_timeout=0.2, resolve=silent)
    try:
        result = sender.send(f"https://localhost:{inbox.port}/hook", b"{}", {})
        assert not answered.is_set(), "the send waited for the resolver"
        assert result.status_code is None and "no DNS answer within 0.2 s" in (result.error or "")
        assert inbox.count() == 0
    finally:
        answered.set()
        sender.close()


class Dribbler:
    """A TLS receiver that answers one byte at a time, 0.05 s apart, for up to 200
    bytes (10 s): in its status line and headers, or in its body."""

    def __init__(self, ca: trustme.CA, where: str) -> None:
        self.where = where
        self.sent = 0
        self.cut_off = threading.Event()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1").configure_cert(context)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._context = context
        self.url = f"https://127.0.0.1:{self._listener.getsockname()[1]}/hook"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        raw, _ = self._listener.accept()
        with self._context.wrap_socket(raw, server_side=True) as conn:
            received = b""
            while b"\r\n\r\n" not in received:
                received += conn.recv(4096)
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n"
            if self.where == "headers":
                head += b"X-Slow: " + b"x" * 200 + b"\r\n"
            head += b"\r\n"
            if self.where == "body":
                conn.sendall(head)
            slow = head if self.where == "headers" else b"y" * 200
            try:
                for byte in slow:
                    conn.sendall(bytes([byte]))
                    self.sent += 1
                    time.sleep(0.05)
            except OSError:
                self.cut_off.set()

    def close(self) -> None:
        self._listener.close()
        self._thread.join(15)


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_receiver_dribbling_its_answer_is_cut_off_at_the_total_deadline(ca, bundle, where):
    dribbler = Dribbler(ca, where)
    sender = Urllib3Sender(LOOPBACK, bundle, connect_timeout=1.0, total_timeout=1.0)
    try:
        result = sender.send(dribbler.url, b"{}", {})
        assert "no complete answer within 1 s" in (result.error or ""), result
        # every byte came well inside the read timeout: only the total deadline ends it
        dribbler._thread.join(15)
        assert dribbler.cut_off.is_set() and dribbler.sent < 200
    finally:
        sender.close()
        dribbler.close()
