"""``connect serve``: the HTTP API on waitress, with a clean shutdown on Ctrl-C/SIGTERM."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import TextIO

import waitress

from connect.adapters.http import create_app
from connect.adapters.http.body import MAX_BODY
from connect.bootstrap import Connect
from connect.config import Config
from connect.entrypoints.logs import configure_logging


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(config: Config, *, out: TextIO = sys.stdout, worker: bool = True) -> int:
    """Open the database, make the first organizer key if there is none, and serve.

    Returns when interrupted (SIGINT or SIGTERM), after closing the server and storage.
    """
    configure_logging(config.log_format)
    connect = Connect.open(config)
    issued = connect.keys.ensure_organizer_key()
    server = waitress.create_server(
        create_app(connect),
        host=config.host,
        port=config.port,
        threads=config.threads,
        ident="connect",
        max_request_body_size=MAX_BODY + 1,
        clear_untrusted_proxy_headers=True,
    )
    port = getattr(server, "effective_port", config.port)
    host = f"[{config.host}]" if ":" in config.host else config.host
    base = f"http://{host}:{port}"
    if issued is not None:
        print("Created the first organizer key (keys:manage and every other scope).", file=out)
        print("It is shown once, now; store it somewhere safe. Use it like this:", file=out)
        print(f"  curl -H 'Authorization: Bearer {issued.token}' {base}/api/v1/keys", file=out)
        print(issued.token, file=out)
    print(f"Connect is listening on {base} (database {config.db}). Ctrl-C stops it.", file=out)
    out.flush()
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        connect.close()
        print("Connect stopped.", file=out)
        out.flush()
    return 0
