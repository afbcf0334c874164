"""Webhook URLs and the addresses Connect will send to (SSRF protection).

Registration refuses what is plainly internal: a scheme other than https, user info,
``localhost``, and IP literals (in any spelling ``inet_aton`` accepts) in loopback,
private, link-local, CGNAT, multicast, reserved or unspecified ranges. The sender
applies ``address_allowed`` again to the address a name resolves to, at send time.
Addresses inside the operator's allow-list pass both checks, and only those.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Sequence
from typing import Final
from urllib.parse import urlsplit

from attrs import frozen

from connect.domain.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_URL: Final = 2048
CGNAT: Final = ipaddress.ip_network("100.64.0.0/10")
LOCAL_NAMES: Final = ("localhost", "localhost.", "localhost.localdomain")


@frozen
class Target:
    """A vetted URL split into what the sender needs."""

    host: str
    port: int
    path: str
    literal: IPAddress | None


def parse_networks(texts: Iterable[str]) -> tuple[Network, ...]:
    """``CONNECT_WEBHOOK_ALLOW_NETWORKS`` entries as networks.

    Raises:
        ValueError: an entry is not a CIDR.
    """
    return tuple(ipaddress.ip_network(t.strip(), strict=False) for t in texts if t.strip())


def ip_literal(host: str) -> IPAddress | None:
    """The address a host spells, if it is an IP literal in any form a resolver would
    accept: ``127.0.0.1``, ``2130706433``, ``0x7f.1``, ``017700000001``, ``[::1]``."""
    bare = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if ":" in bare:
        return None
    try:
        # NOTE: inet_aton is the permissive BSD parser resolvers use (octal, hex,
        # shortened forms), so it catches every spelling that would reach 127.0.0.1.
        return ipaddress.IPv4Address(socket.inet_aton(bare.rstrip(".")))
    except OSError:
        return None


def _plain(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return mapped
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_internal(address: IPAddress) -> bool:
    """Loopback, private, link-local, CGNAT, multicast, reserved or unspecified."""
    plain = _plain(address)
    for candidate in {address, plain}:
        if (
            candidate.is_loopback
            or candidate.is_private
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_reserved
            or candidate.is_unspecified
            or not candidate.is_global
        ):
            return True
        if isinstance(candidate, ipaddress.IPv4Address) and candidate in CGNAT:
            return True
    return False


def address_allowed(address: IPAddress, allow: Sequence[Network]) -> bool:
    """Whether Connect may connect to ``address``: inside the allow-list, or public."""
    plain = _plain(address)
    if any(a in net for net in allow for a in {address, plain} if a.version == net.version):
        return True
    return not is_internal(address)


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed.single("url", message)


def parse_webhook_url(text: object, allow: Sequence[Network] = ()) -> Target:
    """Check a webhook URL at registration.

    Raises:
        ValidationFailed: on the ``url`` field, saying which rule it breaks.
    """
    if not isinstance(text, str) or not text.strip():
        raise _fail("is required")
    url = text.strip()
    if len(url) > MAX_URL:
        raise _fail(f"must be at most {MAX_URL} characters")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise _fail("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port or 443
        host = parts.hostname
    except ValueError:
        raise _fail("is not a valid URL") from None
    if parts.scheme.lower() != "https":
        raise _fail("must use https")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _fail("must not contain user info")
    if not host:
        raise _fail("must have a host")
    literal = ip_literal(host)
    if literal is None and (host.lower() in LOCAL_NAMES or host.lower().endswith(".localhost")):
        loopback = ipaddress.IPv4Address("127.0.0.1")
        if not address_allowed(loopback, allow):
            raise _fail("must not point at localhost")
    if literal is not None and not address_allowed(literal, allow):
        raise _fail("must not point at a loopback, private or reserved address")
    return Target(host=host, port=port, path=_path(parts.path, parts.query), literal=literal)


def _path(path: str, query: str) -> str:
    return (path or "/") + (f"?{query}" if query else "")


def split_target(url: str) -> Target:
    """A stored (already vetted) URL as a ``Target``, without re-checking it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return Target(
        host=host,
        port=parts.port or 443,
        path=_path(parts.path, parts.query),
        literal=ip_literal(host),
    )
