"""Waitress's reverse-proxy options, from the ``CONNECT_TRUSTED_PROXY*`` settings."""

from __future__ import annotations

from typing import Any

from connect.config import Config


def proxy_options(config: Config) -> dict[str, Any]:
    """Keyword arguments for ``waitress.create_server`` (see docs/rate-limits.md).

    Without a trusted proxy, waitress removes every proxy header (``X-Forwarded-For``,
    ``Forwarded``, ...) and ``REMOTE_ADDR`` is the socket peer. With one, waitress reads
    the client address from ``trusted_proxy_headers`` only on connections whose peer
    is ``trusted_proxy`` (the right-most ``trusted_proxy_count`` entries), and still
    strips them on every other connection, so a client that reaches Connect directly
    cannot choose its own address.
    """
    options: dict[str, Any] = {"clear_untrusted_proxy_headers": True}
    if config.trusted_proxy is not None:
        options.update(
            trusted_proxy=config.trusted_proxy,
            trusted_proxy_headers=set(config.trusted_proxy_headers),
            trusted_proxy_count=config.trusted_proxy_count,
        )
    return options
