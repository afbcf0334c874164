"""``python -m connect.testing serve``: a Connect server on a clock file, for end-to-end
tests of time: key expiry, ETags.

    CONNECT_CLOCK_FILE=now.txt CONNECT_DB=test.db CONNECT_PORT=0 python -m connect.testing serve

It is ``connect serve --no-worker`` (the same code), but reads the time from
``CONNECT_CLOCK_FILE`` (see ``FileClock``), which the test rewrites. Only this command
reads that variable: the production ``connect serve`` never does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from connect.config import Config
from connect.entrypoints import serve as serving
from connect.testing.system import FileClock


def serve(environ: Mapping[str, str], *, out: TextIO = sys.stdout) -> int:
    """Serve the ``CONNECT_*`` configuration on the ``CONNECT_CLOCK_FILE`` clock until
    SIGTERM or SIGINT, exactly as ``connect serve --no-worker`` does."""
    if not environ.get("CONNECT_CLOCK_FILE"):
        print("set CONNECT_CLOCK_FILE to a file holding an ISO 8601 instant", file=sys.stderr)
        return 2
    clock = FileClock(environ["CONNECT_CLOCK_FILE"])
    return serving.serve(Config.from_env(environ), out=out, worker=False, clock=clock)


if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: python -m connect.testing serve  (configured by CONNECT_* variables)")
    sys.exit(serve(os.environ))
