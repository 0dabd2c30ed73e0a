"""Reading the client's address behind a proxy (classroom.guard): X-Forwarded-For only from a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest

from classroom.guard import DEFAULT_TRUSTED_PROXIES, client_address, keyed_hash, sign, trusted_proxies, unsign

LOOPBACK = trusted_proxies(DEFAULT_TRUSTED_PROXIES)


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        # Straight to the server: the peer, whatever the client claims.
        ("198.51.100.4", [], LOOPBACK, "198.51.100.4"),
        ("198.51.100.4", ["203.0.113.9"], LOOPBACK, "198.51.100.4"),
        # nginx on loopback (deploy/nginx.conf): the entry nginx added, never the client's own.
        (None, ["203.0.113.9"], LOOPBACK, "203.0.113.9"),
        (None, ["1.2.3.4, 203.0.113.9"], LOOPBACK, "203.0.113.9"),
        (None, ["1.2.3.4", "203.0.113.9"], LOOPBACK, "203.0.113.9"),  # a repeated header
        ("127.0.0.1", ["203.0.113.9:5555"], LOOPBACK, "203.0.113.9"),
        # Loopback with no header: a local browser.
        (None, [], LOOPBACK, "127.0.0.1"),
        # Students behind the proxy, all on loopback too: they are loopback.
        (None, ["127.0.0.1"], LOOPBACK, "127.0.0.1"),
        # Garbage after the proxy's entry: the proxy's view stands.
        (None, ["203.0.113.9, not-an-ip"], LOOPBACK, "127.0.0.1"),
        # Two trusted hops (a load balancer in front of nginx), configured.
        ("10.0.0.2", ["203.0.113.9, 10.0.0.3"], trusted_proxies("127.0.0.1,10.0.0.0/8"), "203.0.113.9"),
        ("10.0.0.2", ["203.0.113.9, 10.0.0.3"], LOOPBACK, "10.0.0.2"),  # not configured: not believed
        # Trust nobody: the peer always.
        (None, ["203.0.113.9"], (), "127.0.0.1"),
        # IPv6 counts per /64; IPv4-mapped addresses as IPv4.
        ("2001:db8:1:2:3:4:5:6", [], LOOPBACK, "2001:db8:1:2::/64"),
        (None, ["[2001:db8:1:2::7]:443"], LOOPBACK, "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", [], LOOPBACK, "198.51.100.4"),
    ],
)
def test_client_address(peer, forwarded, proxies, expected) -> None:  # type: ignore[no-untyped-def]
    assert client_address(peer, forwarded, proxies) == expected


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert trusted_proxies() == (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128"))
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.1.2.3, 192.168.0.0/16, nonsense")
    assert trusted_proxies() == (ipaddress.ip_network("10.1.2.3/32"), ipaddress.ip_network("192.168.0.0/16"))
    assert client_address("10.1.2.3", ["203.0.113.9"]) == "203.0.113.9"
    assert client_address(None, ["203.0.113.9"]) == "127.0.0.1"  # loopback is no longer trusted
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    assert trusted_proxies() is None
    assert client_address("198.51.100.4", ["203.0.113.9, 10.0.0.1"]) == "203.0.113.9"  # the first entry, as uvicorn


def test_signatures_and_hashes_need_the_key() -> None:
    signed = sign(b"k" * 32, "a-browser-id-0001")
    assert unsign(b"k" * 32, signed) == "a-browser-id-0001"
    assert unsign(b"j" * 32, signed) is None
    assert keyed_hash(b"k" * 32, "203.0.113.9") != keyed_hash(b"j" * 32, "203.0.113.9")
    assert keyed_hash(b"k" * 32, "") == ""
    with pytest.raises(ValueError, match="URL-safe"):
        sign(b"k" * 32, "<script>")
