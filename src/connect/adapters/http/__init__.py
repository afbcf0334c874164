"""The HTTP adapter: Falcon resources over the services."""

from connect.adapters.http.app import create_app

__all__ = ["create_app"]
