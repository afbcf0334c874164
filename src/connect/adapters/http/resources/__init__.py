"""Falcon resources: each parses, calls one service, and renders."""

from __future__ import annotations

from typing import Generic, TypeVar

S = TypeVar("S")


class Resource(Generic[S]):
    """A resource over the one service it calls."""

    def __init__(self, service: S) -> None:
        self._service = service
