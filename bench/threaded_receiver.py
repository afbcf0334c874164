"""HTTPS receivers in a process of their own, a thread per connection, answering 200 at
once: the far side of the throughput benchmark, kept off the worker's GIL so it is not
the bottleneck.

    python bench/threaded_receiver.py CERT_AND_KEY.pem COUNT

prints one line of COUNT ports, serves until stdin closes, then prints how many
requests it received.
"""

from __future__ import annotations

import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

received = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        global received
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            received += 1
        self.send_response(200)
        self.send_header("Content-Length", "8")
        self.end_headers()
        self.wfile.write(b"received")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    pem, count = sys.argv[1], int(sys.argv[2])
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pem)
    servers = []
    for _ in range(count):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.request_queue_size = 128
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    print(" ".join(str(s.server_address[1]) for s in servers), flush=True)
    sys.stdin.read()
    for server in servers:
        server.shutdown()
    print(received, flush=True)


if __name__ == "__main__":
    main()
