"""Who is asking: the guessing session, the client's address behind a proxy, signed seat cookies.

Nothing here imports streamlit; ``ui.live_identity`` reads the request and
hands :class:`Caller` to the store. The rules that use it are in
:mod:`classroom.store`'s docstring.

**The client's address.** The server sees the address of whoever opened the
connection. Behind nginx (``deploy/nginx.conf``) that is nginx, and the
client's address is the last entry nginx added to ``X-Forwarded-For``. That
header is believed only from a *trusted proxy*: the addresses and networks in
``FORWARDED_ALLOW_IPS`` (comma-separated, ``*`` for any; default the loopback
addresses ``127.0.0.1,::1``). It is the variable Streamlit's web server,
uvicorn, already reads for the same purpose, so both layers agree on one list.
:func:`client_address` walks the header from the right, skipping trusted
proxies, and stops at the first address it does not trust: a client can put
anything at the *start* of the header, never after the proxy's own entry.
IPv6 addresses count per /64 network (one device can hold a whole /64).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
from dataclasses import dataclass

from classroom.schema import HASH_LENGTH

DEFAULT_TRUSTED_PROXIES = "127.0.0.1,::1"
_SIGNATURE_LENGTH = 32  # hex characters
_SIGNED = re.compile(r"([A-Za-z0-9_-]{16,64})\.([0-9a-f]{%d})" % _SIGNATURE_LENGTH)


@dataclass(frozen=True)
class Caller:
    """Who is asking, for the guessing limits and the seat caps.

    Attributes
    ----------
    session : str
        The guessing session: ``"browser:<id>"`` for a browser with a seat
        cookie (it stays the same across tabs and reconnects), else
        ``"session:<id>"`` for one Streamlit session. Empty: unknown (then
        no limit applies that needs it).
    address : str
        The client's address as :func:`client_address` reads it ("" unknown).
    browser : str
        The browser's id from its signed seat cookie, or one this session has
        just given it ("" none): a browser gets one seat per class.
    """

    session: str = ""
    address: str = ""
    browser: str = ""


# --------------------------------------------------------------------------
# The client's address
# --------------------------------------------------------------------------
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(text: str | None = None) -> tuple[Network, ...] | None:
    """The trusted proxies of ``FORWARDED_ALLOW_IPS`` (or ``text``): networks, or ``None`` for ``*`` (all).

    Entries that are neither an address nor a network are ignored.
    """
    raw = os.environ.get("FORWARDED_ALLOW_IPS", DEFAULT_TRUSTED_PROXIES) if text is None else text
    entries = [item.strip() for item in raw.split(",") if item.strip()]
    if "*" in entries:
        return None
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _parse(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from an ``X-Forwarded-For`` entry (``1.2.3.4``, ``1.2.3.4:5``, ``[::1]:5``, ``::1``)."""
    host = host.strip()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _trusted(address, proxies: tuple[Network, ...] | None) -> bool:  # type: ignore[no-untyped-def]
    return proxies is None or any(address in network for network in proxies)


FROM_ENVIRONMENT: tuple[Network, ...] = (ipaddress.ip_network("0.0.0.0/32"),)  # a marker: read FORWARDED_ALLOW_IPS


def client_address(
    peer: str | None, forwarded_for: list[str], proxies: tuple[Network, ...] | None = FROM_ENVIRONMENT
) -> str:
    """The client's address: ``peer``, or what a trusted proxy says in ``X-Forwarded-For``.

    Parameters
    ----------
    peer : str or None
        The address the connection came from (``None``: loopback, as
        ``st.context.ip_address`` reports it).
    forwarded_for : list of str
        Every ``X-Forwarded-For`` header value, in order.
    proxies : tuple of networks, or None
        Trusted proxies (:func:`trusted_proxies`; ``None`` trusts all, ``()``
        none). By default, those of ``FORWARDED_ALLOW_IPS``.

    Returns
    -------
    str
        An address (IPv6 as its /64 network), or "" if the peer is unreadable.
    """
    if proxies is FROM_ENVIRONMENT:
        proxies = trusted_proxies()
    current = _parse(peer or "127.0.0.1")
    if current is None:
        return ""
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    while hops and _trusted(current, proxies):
        previous = _parse(hops.pop())
        if previous is None:  # garbage from a client behind the proxy: the proxy's view stands
            break
        current = previous
    if current.version == 6 and current.ipv4_mapped is not None:
        current = current.ipv4_mapped
    if current.version == 6:
        return str(ipaddress.ip_network(f"{current}/64", strict=False))
    return str(current)


# --------------------------------------------------------------------------
# Keyed hashes and signatures (the key lives in the database: app_secrets)
# --------------------------------------------------------------------------
def keyed_hash(secret: bytes, text: str) -> str:
    """A short keyed hash of ``text`` (addresses, cookie ids and sessions are kept only as these)."""
    if not text:
        return ""
    return hmac.new(secret, text.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:HASH_LENGTH]


def sign(secret: bytes, value: str) -> str:
    """``value.signature``: a cookie value the server can later check it issued."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", value):
        raise ValueError("only ids of 16-64 URL-safe characters are signed")
    return f"{value}.{keyed_hash(secret, 'sign:' + value)[:_SIGNATURE_LENGTH]}"


def unsign(secret: bytes, signed: object) -> str | None:
    """The value of a :func:`sign`-ed text, or ``None`` if it is not one this server signed."""
    if not isinstance(signed, str):
        return None
    match = _SIGNED.fullmatch(signed)
    if match is None:
        return None
    value, signature = match.groups()
    expected = keyed_hash(secret, "sign:" + value)[:_SIGNATURE_LENGTH]
    return value if hmac.compare_digest(signature, expected) else None
