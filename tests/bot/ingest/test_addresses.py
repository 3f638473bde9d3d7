"""The address guard's rules: which addresses are refused, and what FETCH_ALLOW_PRIVATE allows."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.ingest.addresses import AllowedAddresses, kind_of, refusal, url_refusal


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 around 169.254.169.254
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "non-global"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_what_kind_of_address(address: str, kind: str | None) -> None:
    assert kind_of(ipaddress.ip_address(address)) == kind


def test_allowed_hosts_and_networks() -> None:
    allowed = AllowedAddresses.parse("127.0.0.1, 10.0.0.0/8; Intranet.Example.,[::1]")
    loopback = ipaddress.ip_address("127.0.0.1")

    assert refusal("127.0.0.1", loopback, allowed) is None
    assert refusal("::ffff:127.0.0.1", ipaddress.ip_address("::ffff:127.0.0.1"), allowed) is None
    assert refusal("10.9.8.7", ipaddress.ip_address("10.9.8.7"), allowed) is None
    assert refusal("intranet.example", ipaddress.ip_address("192.168.0.4"), allowed) is None
    assert refusal("::1", ipaddress.ip_address("::1"), allowed) is None
    assert refusal("127.0.0.2", ipaddress.ip_address("127.0.0.2"), allowed) == (
        "refused: 127.0.0.2 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    )
    assert refusal("other.example", ipaddress.ip_address("192.168.0.4"), allowed) == (
        "refused: other.example is 192.168.0.4, a private address (set FETCH_ALLOW_PRIVATE to allow it)"
    )
    assert not AllowedAddresses.parse("")


def test_the_setting_is_a_comma_separated_list_checked_on_start() -> None:
    settings = Settings(_env_file=None, fetch_allow_private="127.0.0.1,10.0.0.0/8, intranet.example")  # type: ignore[call-arg]
    assert settings.fetch_allow_private == ("127.0.0.1", "10.0.0.0/8", "intranet.example")
    assert Settings(_env_file=None).fetch_allow_private == ()  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="neither an IP address"):
        Settings(_env_file=None, fetch_allow_private="10.0.0.0/8,http://intranet/")  # type: ignore[call-arg]


def test_urls_checked_before_anything_is_fetched() -> None:
    strict = AllowedAddresses()
    assert url_refusal("javascript:alert(1)", strict) == "only http and https URLs can be fetched"
    assert url_refusal("http://127.0.0.1:8080/feed", strict) == "refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    assert url_refusal("http://[::ffff:127.0.0.1]/feed", strict) == (
        "refused: ::ffff:127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    )
    assert url_refusal("https://8.8.8.8/feed", strict) is None
    assert url_refusal("http://127.0.0.1:8080/feed", AllowedAddresses.parse("127.0.0.1")) is None
