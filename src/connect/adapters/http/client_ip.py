"""Who is calling, by address: the socket peer, or a trusted proxy's header."""

from __future__ import annotations

import ipaddress

import falcon


class ClientAddress:
    """Reads the client IP of a request.

    Args:
        trusted_header: a header set by the reverse proxy in front of Connect (e.g.
            ``X-Real-IP``), or ``None`` (the default) to use the socket peer. With a
            list (``a, b, c``) the right-most entry counts: the one the proxy added.
            A value that is not an IP address is ignored (the peer is used).
    """

    def __init__(self, trusted_header: str | None = None) -> None:
        self.trusted_header = trusted_header

    def __call__(self, req: falcon.Request) -> str:
        if self.trusted_header:
            value = req.get_header(self.trusted_header)
            if value:
                candidate = value.rsplit(",", 1)[-1].strip()
                try:
                    return str(ipaddress.ip_address(candidate))
                except ValueError:
                    pass
        return req.remote_addr or ""
