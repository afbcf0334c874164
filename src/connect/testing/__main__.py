"""``python -m connect.testing serve``: see ``connect.testing.serve``."""

from __future__ import annotations

import os
import sys

from connect.testing.serve import serve

if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: python -m connect.testing serve  (configured by CONNECT_* variables)")
    sys.exit(serve(os.environ))
