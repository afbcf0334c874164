from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from connect.domain.errors import ValidationFailed
from connect.domain.urls import (
    address_allowed,
    canonical_address,
    ip_literal,
    is_internal,
    normalise_host,
    parse_networks,
    parse_webhook_url,
)

REFUSED = [
    "http://example.com/hook",
    "ftp://example.com/hook",
    "https://user:pass@example.com/hook",
    "https://user@example.com/hook",
    "https://localhost/hook",
    "https://LOCALHOST:8443/hook",
    "https://api.localhost/hook",
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::]/hook",
    "https://0.0.0.0/hook",
    "https://2130706433/hook",
    "https://0x7f.1/hook",
    "https://0x7f000001/hook",
    "https://017700000001/hook",
    "https://10.0.0.8/hook",
    "https://172.16.3.4/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.64.0.1/hook",
    "https://224.0.0.1/hook",
    "https://240.0.0.1/hook",
    "https://255.255.255.255/hook",
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://[ff02::1]/hook",
    "https://[2002:7f00:1::]/hook",
    "https:///hook",
    "not a url",
    "",
]


@pytest.mark.parametrize("url", REFUSED)
def test_registration_refuses_internal_and_malformed_urls(url):
    with pytest.raises(ValidationFailed) as refused:
        parse_webhook_url(url)
    assert refused.value.errors[0].field == "url"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hook",
        "https://hooks.slack.com/services/T/B/X?x=1",
        "https://93.184.216.34:8443/",
    ],
)
def test_registration_accepts_public_https_urls(url):
    assert parse_webhook_url(url).host


def test_the_allow_list_lets_through_only_addresses_inside_it():
    allow = parse_networks(["127.0.0.0/8", "::1/128"])
    assert parse_webhook_url("https://127.0.0.1:8443/hook", allow).port == 8443
    assert parse_webhook_url("https://[::1]/hook", allow).literal == ipaddress.ip_address("::1")
    assert parse_webhook_url("https://localhost:9/hook", allow).host == "localhost"
    assert parse_webhook_url("https://[::ffff:127.0.0.1]/hook", allow).host
    for still_refused in ("https://10.0.0.1/", "https://[::]/", "https://169.254.169.254/"):
        with pytest.raises(ValidationFailed):
            parse_webhook_url(still_refused, allow)


def test_odd_spellings_are_read_as_the_address_a_resolver_would_use():
    loopback = ipaddress.ip_address("127.0.0.1")
    for spelling in ("2130706433", "0x7f.1", "127.1", "0177.0.0.1", "[::ffff:127.0.0.1]"):
        parsed = ip_literal(spelling)
        assert parsed is not None
        assert not address_allowed(parsed, ())
    assert ip_literal("0x7f.1") == loopback
    assert ip_literal("example.com") is None


# Spellings of one address, as a resolver (inet_aton, getaddrinfo's IDNA step) reads them.

# NOTE: the fullwidth forms (U+FF01..U+FF5E) of printable ASCII are 0xFEE0 above it.
FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}

INTERNAL_V4 = st.sampled_from(
    [
        "127.0.0.0/8",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "0.0.0.0/8",
        "224.0.0.0/4",
        "240.0.0.0/4",
    ]
).flatmap(
    lambda net: st.integers(0, ipaddress.ip_network(net).num_addresses - 1).map(
        lambda offset: ipaddress.ip_network(net)[offset]
    )
)


def _number(value: int, base: str) -> str:
    return {"dec": str(value), "hex": hex(value), "oct": "0" + oct(value)[2:]}[base]


@st.composite
def spellings(draw: st.DrawFn, address: ipaddress.IPv4Address) -> str:
    """One of the many texts that a resolver reads as ``address``."""
    value = int(address)
    octets = list(address.packed)
    form = draw(st.sampled_from(["dotted", "one", "two", "three", "mapped", "compatible"]))
    base = st.sampled_from(["dec", "hex", "oct"])
    if form == "dotted":
        text = ".".join(_number(o, draw(base)) for o in octets)
    elif form == "one":
        text = _number(value, draw(base))
    elif form == "two":
        text = f"{_number(octets[0], draw(base))}.{_number(value & 0xFFFFFF, draw(base))}"
    elif form == "three":
        first, second = (_number(o, draw(base)) for o in octets[:2])
        text = f"{first}.{second}.{_number(value & 0xFFFF, draw(base))}"
    elif form == "mapped":
        if draw(st.booleans()):
            return f"[::ffff:{address}]"
        return f"[::ffff:{value >> 16:x}:{value & 0xFFFF:x}]"
    else:
        return f"[::{address}]"
    if draw(st.booleans()):
        text = text.upper()
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    if draw(st.booleans()):
        text += "."
    if draw(st.booleans()):
        text = "".join(f"%{ord(c):02X}" if c.isascii() and draw(st.booleans()) else c for c in text)
    return text


@given(INTERNAL_V4.flatmap(lambda a: st.tuples(st.just(a), spellings(a))))
def test_every_spelling_of_an_internal_address_is_refused_at_registration(
    case: tuple[ipaddress.IPv4Address, str],
) -> None:
    address, spelling = case
    # The spelling does reach the address: the resolver's own parser (inet_aton) reads
    # the normalised form as it, or it is an IPv6 form of it.
    resolved = normalise_host(spelling)
    if ":" in resolved:
        v6 = ipaddress.IPv6Address(resolved)
        # NOTE: ::0.0.0.0 and ::0.0.0.1 are :: and ::1 themselves, IPv6 addresses in
        # their own right (unspecified, loopback), never read as IPv4; refused as such.
        assert canonical_address(v6) == address or str(v6) in ("::", "::1")
    else:
        assert ipaddress.IPv4Address(socket.inet_aton(resolved)) == address
    with pytest.raises(ValidationFailed):
        parse_webhook_url(f"https://{spelling}/hook")


LOCAL = st.tuples(
    st.sampled_from(["localhost", "localhost.localdomain", "a.localhost", "x.y.localhost"]),
    st.booleans(),
    st.booleans(),
).map(lambda t: (t[0].upper() if t[1] else t[0]) + ("." if t[2] else ""))


@given(LOCAL)
def test_every_spelling_of_localhost_is_refused(name: str) -> None:
    with pytest.raises(ValidationFailed, match="localhost"):
        parse_webhook_url(f"https://{name}/hook")


LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
PUBLIC_NAME = st.tuples(
    st.lists(LABEL, min_size=1, max_size=4), st.sampled_from(["com", "org", "dev", "io"])
).map(lambda t: ".".join([*t[0], t[1]]))


@given(PUBLIC_NAME)
def test_a_normal_public_host_name_stays_valid_and_unchanged(name: str) -> None:
    assume("localhost" not in name.split("."))
    target = parse_webhook_url(f"https://{name}/hook")
    assert target.host == name and target.literal is None


@given(st.text(max_size=40))
def test_normalising_a_host_twice_changes_nothing(host: str) -> None:
    try:
        once = normalise_host(host)
    except ValueError:
        return
    assert normalise_host(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "https://foo.localhost./hook",
        "https://localhost.localdomain./hook",
        "https://LocalHost.LocalDomain/hook",
        "https://ip6-localhost/hook",
        "https://\uff11\uff12\uff17.0.0.1/hook",
        "https://%31%32%37.0.0.1/hook",
        "https://%6c%6f%63%61%6c%68%6f%73%74/hook",
        "https://" + "localhost".translate(FULLWIDTH) + "/hook",
        "https://127。0。0。1/hook",
        "https://[::127.0.0.1]/hook",
        "https://[::ffff:7f00:1]/hook",
        "https://[::ffff:10.1.2.3]/hook",
        "https://exa%ZZmple..com/hook",
    ],
)
def test_registration_refuses_the_spellings_only_the_send_time_check_caught(url: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_webhook_url(url)


def test_a_mapped_address_is_judged_as_its_ipv4_address_against_the_allow_list() -> None:
    narrow = parse_networks(["::ffff:0:0/96"])
    with pytest.raises(ValidationFailed):
        parse_webhook_url("https://[::ffff:127.0.0.1]/hook", narrow)
    loopback_only = parse_networks(["127.0.0.1/32"])
    assert parse_webhook_url("https://[::ffff:127.0.0.1]:9/hook", loopback_only).port == 9
    assert parse_webhook_url("https://127.0.0.1/hook", loopback_only).host == "127.0.0.1"
    assert parse_webhook_url("https://bücher.example/hook").host == "xn--bcher-kva.example"


@given(INTERNAL_V4 | LOCAL)
def test_a_refused_internal_host_names_the_setting_that_allows_it_and_connect_listen(
    host: ipaddress.IPv4Address | str,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_webhook_url(f"https://{host}:9443/hook")
    message = refused.value.errors[0].message
    assert "CONNECT_WEBHOOK_ALLOW_NETWORKS" in message
    assert "connect listen" in message


def _plain_forms(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> set[object]:
    forms: set[object] = {address, canonical_address(address)}
    v6 = canonical_address(address)
    if isinstance(v6, ipaddress.IPv6Address):
        if v6.sixtofour is not None:
            forms.add(v6.sixtofour)
        if v6 in ipaddress.ip_network("64:ff9b::/96"):
            forms.add(ipaddress.IPv4Address(int(v6) & 0xFFFFFFFF))
    return forms


# The ranges is_internal names, one by one (it asks ipaddress more briefly).
INTERNAL_KINDS = (
    "is_loopback",
    "is_private",
    "is_link_local",
    "is_multicast",
    "is_reserved",
    "is_unspecified",
)


@given(st.ip_addresses())
def test_an_address_is_internal_when_any_form_of_it_is_in_any_internal_range(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    def internal(a: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        cgnat = isinstance(a, ipaddress.IPv4Address) and a in ipaddress.ip_network("100.64.0.0/10")
        return cgnat or any(getattr(a, kind) for kind in INTERNAL_KINDS)

    forms = _plain_forms(address)
    assert is_internal(address) is any(internal(a) or not a.is_global for a in forms)
