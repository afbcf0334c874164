"""Webhook URLs and the addresses Connect will send to (SSRF protection).

Registration refuses what is plainly internal: a scheme other than https, user info,
every spelling of ``localhost``, and IP literals (in any spelling ``inet_aton`` accepts)
in loopback, private, link-local, CGNAT, multicast, reserved or unspecified ranges.
The host is judged in the form a resolver would use (``normalise_host``): percent-
decoded, NFKC and IDNA (so fullwidth digits are digits), lowercase, without the
trailing dot; an IPv4-mapped or IPv4-compatible IPv6 address is judged as its IPv4
address. The sender applies ``address_allowed`` again to the address a name resolves
to, at send time. Addresses inside the operator's allow-list pass both checks, and
only those.
"""

from __future__ import annotations

import encodings.idna
import ipaddress
import re
import socket
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final
from urllib.parse import unquote, urlsplit

from attrs import frozen

from connect.domain.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_URL: Final = 2048
# Names that /etc/hosts (glibc, Debian, Red Hat) or systemd-resolved answer with a
# loopback address, whatever DNS says; ``*.localhost`` too (RFC 6761).
LOCAL_NAMES: Final = frozenset(
    {
        "localhost",
        "localhost.localdomain",
        "localhost4",
        "localhost4.localdomain4",
        "localhost6",
        "localhost6.localdomain6",
        "ip6-localhost",
        "ip6-loopback",
    }
)
# NOTE: the label separators IDNA (RFC 3490) treats as a dot.
_DOTS: Final = re.compile("[.\u3002\uff0e\uff61]")
_ROUNDS: Final = 4


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


def normalise_host(host: str) -> str:
    """``host`` as a resolver would look it up: percent-decoded, NFKC-normalised,
    IDNA-encoded (``bücher.example`` is ``xn--bcher-kva.example``), lowercase, without
    the trailing dot; an IPv6 literal (with or without brackets) in its compressed form.
    Idempotent: a normalised host normalises to itself.

    Raises:
        ValueError: the host cannot be a DNS name or an address (an empty or too long
            label, bytes that are not UTF-8, encodings nested too deeply).
    """
    text = host
    # NOTE: decoding and NFKC can each reveal work for the other (``%EF%BC%85``
    # is a fullwidth percent sign); a few rounds reach a fixed point or it is refused.
    for _ in range(_ROUNDS):
        step = unicodedata.normalize("NFKC", unquote(text, errors="strict")).lower()
        if step == text:
            break
        text = step
    else:
        raise ValueError("the host is encoded too many times over")
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if ":" in bare:
        if "%" in bare:
            raise ValueError("an IPv6 zone id is not a host on the Internet")
        return str(ipaddress.IPv6Address(bare))
    labels = _DOTS.split(bare)
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    try:
        # NOTE: the stdlib's IDNA 2003 ToASCII (nameprep, then punycode) is what
        # socket.getaddrinfo applies to a str host: the name the sender would resolve.
        name = ".".join(encodings.idna.ToASCII(label).decode("ascii") for label in labels)
    except UnicodeError as e:
        raise ValueError(f"not a valid host name: {e}") from None
    # NOTE: what IDNA lets through unchanged (``%``, controls, spaces) is no name a
    # resolver looks up, and refusing it keeps normalising idempotent (a ``%14`` left
    # by the first round would be decoded by the second).
    if _HOST_NAME.fullmatch(name) is None:
        raise ValueError("not a valid host name: only letters, digits, - and _ in labels")
    return name.lower()


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


_HOST_NAME: Final = re.compile(r"[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)*")
_IPV4_COMPATIBLE: Final = ipaddress.ip_network("::/96")


def canonical_address(address: IPAddress) -> IPAddress:
    """The address a packet to ``address`` reaches: an IPv4-mapped (``::ffff:a.b.c.d``)
    or IPv4-compatible (``::a.b.c.d``) IPv6 address is that IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _IPV4_COMPATIBLE and int(address) > 1:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _plain(address: IPAddress) -> IPAddress:
    canonical = canonical_address(address)
    if isinstance(canonical, ipaddress.IPv6Address):
        if canonical.sixtofour is not None:
            return canonical.sixtofour
        if canonical in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(canonical) & 0xFFFFFFFF)
    return canonical


def is_internal(address: IPAddress) -> bool:
    """Loopback, private, link-local, CGNAT, multicast, reserved or unspecified."""
    # NOTE: ipaddress counts loopback, private, link-local, unspecified and CGNAT
    # addresses as not global; multicast and reserved ranges may be global.
    return any(
        not a.is_global or a.is_multicast or a.is_reserved for a in {address, _plain(address)}
    )


def address_allowed(address: IPAddress, allow: Sequence[Network]) -> bool:
    """Whether Connect may connect to ``address``: inside the allow-list, or public.

    The allow-list is matched against the canonical address only, so an allow-list of
    ``::ffff:0:0/96`` does not let ``::ffff:127.0.0.1`` (that is, 127.0.0.1) through.
    """
    canonical = canonical_address(address)
    if any(canonical in net for net in allow if canonical.version == net.version):
        return True
    return not is_internal(address)


# NOTE: a refusal names the way out, so a newcomer testing on a laptop is not stuck:
# the operator's allow-list, or ``connect listen`` (the laptop sends, nothing to allow).
_ALLOW_HINT: Final = (
    " unless the service's operator allows its network in CONNECT_WEBHOOK_ALLOW_NETWORKS"
    " (e.g. 127.0.0.0/8); to test a receiver on your own machine, run"
    " `connect listen --forward-to http://localhost:3000/hook` instead (docs/webhooks.md)"
)


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
    try:
        host = normalise_host(host)
    except ValueError:
        raise _fail("does not have a valid host name") from None
    literal = ip_literal(host)
    if literal is None and (host in LOCAL_NAMES or host.endswith(".localhost")):
        loopback = ipaddress.IPv4Address("127.0.0.1")
        if not address_allowed(loopback, allow):
            raise _fail(f"must not point at localhost{_ALLOW_HINT}")
    if literal is not None and not address_allowed(literal, allow):
        raise _fail(f"must not point at a loopback, private or reserved address{_ALLOW_HINT}")
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
