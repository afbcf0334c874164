"""The HTTP adapter: Falcon resources over the services."""

from connect.adapters.http.app import create_app
from connect.adapters.http.server import create_server

__all__ = ["create_app", "create_server"]
