"""``connect serve``: the HTTP API on waitress, with a clean shutdown on Ctrl-C/SIGTERM."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import TextIO

from connect.adapters.http import create_app
from connect.bootstrap import Connect
from connect.config import Config
from connect.entrypoints.logs import configure_logging
from connect.entrypoints.memory import return_large_blocks
from connect.entrypoints.proxy import proxy_options
from connect.entrypoints.queue_log import sample_queue_warnings
from connect.entrypoints.waitress_errors import create_server
from connect.entrypoints.worker import start_embedded


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(config: Config, *, out: TextIO = sys.stdout, worker: bool = True) -> int:
    """Open the database, make the first organizer key if there is none, and serve.

    Returns when interrupted (SIGINT or SIGTERM), after closing the server and storage.
    """
    configure_logging(config.log_format)
    return_large_blocks()
    connect = Connect.open(config)
    issued = connect.keys.ensure_organizer_key()
    server = create_server(
        create_app(connect),
        host=config.host,
        port=config.port,
        threads=config.threads,
        **proxy_options(config),
    )
    sample_queue_warnings(server)
    embedded = start_embedded(connect) if worker else None
    # NOTE: the handler goes in before the "listening" line: a supervisor may send
    # SIGTERM as soon as it reads it.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
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
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        if embedded is not None:
            embedded[0].stop()
            embedded[1].join(timeout=30)
        connect.close()
        print("Connect stopped.", file=out)
        out.flush()
    return 0
