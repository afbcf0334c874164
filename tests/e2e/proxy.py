"""A small forwarding reverse proxy for tests: one thread, one request per connection.

It does what nginx's ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``
does: appends the address of the client it accepted to ``X-Forwarded-For`` and
forwards the request to the upstream server, connecting from its own loopback address.
"""

from __future__ import annotations

import socket
import socketserver
import threading

MAX_HEAD = 64 * 1024


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def forwarded(request: bytes, client_ip: str) -> bytes:
    """``request`` with ``client_ip`` appended to X-Forwarded-For and the connection
    closed after one answer."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    kept: list[bytes] = [lines[0]]
    chain: list[bytes] = []
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"x-forwarded-for":
            chain.append(value.strip())
        elif lowered != b"connection":
            kept.append(line)
    chain.append(client_ip.encode())
    kept.append(b"X-Forwarded-For: " + b", ".join(chain))
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


class ForwardingProxy:
    """Listens on ``listen``:free port, forwards to ``upstream`` from ``source``.

    Args:
        upstream: (host, port) of the real server.
        source: the address the proxy connects from (the one the server trusts).
        listen: the address clients connect to.
    """

    def __init__(
        self, upstream: tuple[str, int], *, source: str, listen: str = "127.0.0.1"
    ) -> None:
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._relay(self.request, self.client_address[0])

        self._upstream = upstream
        self._source = source
        self._server = socketserver.ThreadingTCPServer((listen, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.forwarded = 0
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _relay(self, client: socket.socket, client_ip: str) -> None:
        client.settimeout(10)
        request = _read_request(client)
        if not request:
            return
        with socket.create_connection(
            self._upstream, timeout=10, source_address=(self._source, 0)
        ) as upstream:
            upstream.sendall(forwarded(request, client_ip))
            self.forwarded += 1
            while chunk := upstream.recv(65536):
                client.sendall(chunk)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
