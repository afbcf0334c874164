"""A real webhook receiver on 127.0.0.1: HTTPS with a trustme certificate, or plain HTTP
as a developer runs behind ``connect listen``."""

from __future__ import annotations

import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from attrs import frozen


@frozen
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Records every POST. ``script`` holds status codes to answer first (then 200);
    ``hang`` makes every request wait until ``release()`` (or 30 s); ``echo`` answers
    with the request's body (a receiver that repeats what it got, into the snippet).
    Without a ``ca`` it speaks plain HTTP."""

    def __init__(self, ca: trustme.CA | None, *, delay: float = 0.0) -> None:
        self.received: list[Received] = []
        self.script: list[int] = []
        self.hang = False
        self.echo = False
        self.delay = delay
        self._released = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:
                    # NOTE: the sender died mid-request (a killed worker): nothing arrived.
                    self.close_connection = True
                    return
                with receiver._lock:
                    receiver.received.append(
                        Received(time.monotonic(), self.path, dict(self.headers.items()), body)
                    )
                    status = receiver.script.pop(0) if receiver.script else 200
                if receiver.hang:
                    receiver._released.wait(30)
                if receiver.delay:
                    time.sleep(receiver.delay)
                reply = body if receiver.echo else b"received"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        scheme = "http"
        if ca is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("localhost", "127.0.0.1", "::1").configure_cert(context)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.port = self._server.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def snapshot(self) -> list[Received]:
        """What has arrived so far (a copy: safe while requests keep arriving)."""
        with self._lock:
            return list(self.received)

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()


def write_ca(ca: trustme.CA, directory: Path) -> Path:
    path = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path
