"""A WSGI entry for other servers: ``waitress-serve --call connect.entrypoints.wsgi:get_app``."""

from __future__ import annotations

import os
from typing import Any

import falcon

from connect.bootstrap import Connect, create_app
from connect.config import Config


def get_app() -> falcon.App[Any, Any]:
    """Read ``CONNECT_*`` from the environment, open the database, build the app."""
    return create_app(Connect.open(Config.from_env(os.environ)))
