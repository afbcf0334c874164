"""A Connect server on a clock file, for end-to-end tests of time: key expiry, ETags.

    CONNECT_CLOCK_FILE=now.txt CONNECT_DB=test.db CONNECT_PORT=0 python -m connect.testing serve

It serves what ``connect serve --no-worker`` serves, but reads the time from
``CONNECT_CLOCK_FILE`` (see ``FileClock``), which the test rewrites. Only this command
reads that variable: the production ``connect serve`` never does.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Mapping
from types import FrameType
from typing import TextIO

from connect.bootstrap import bootstrap, create_app, create_server, storage
from connect.config import Config
from connect.testing.system import FileClock


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(environ: Mapping[str, str], *, out: TextIO = sys.stdout) -> int:
    """Serve the ``CONNECT_*`` configuration on the ``CONNECT_CLOCK_FILE`` clock until
    SIGTERM or SIGINT; print the first organizer key and the address, as
    ``connect serve`` does."""
    if not environ.get("CONNECT_CLOCK_FILE"):
        print("set CONNECT_CLOCK_FILE to a file holding an ISO 8601 instant", file=sys.stderr)
        return 2
    config = Config.from_env(environ)
    uow = storage(config)
    uow.migrate()
    connect = bootstrap(config, uow, clock=FileClock(environ["CONNECT_CLOCK_FILE"]))
    server = create_server(create_app(connect), host=config.host, port=config.port)
    issued = connect.keys.ensure_organizer_key()
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        if issued is not None:
            print(issued.token, file=out)
        print(f"Connect is listening on http://{config.host}:{server.effective_port}", file=out)
        out.flush()
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        connect.close()
    return 0
