from __future__ import annotations

import ipaddress

import pytest

from connect.domain.errors import ValidationFailed
from connect.domain.urls import address_allowed, ip_literal, parse_networks, parse_webhook_url

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
