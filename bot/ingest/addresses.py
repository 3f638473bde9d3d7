"""The address guard: which addresses the fetcher may connect to.

A feed is written by someone else, and so are the links in it: an entry that
links to `http://127.0.0.1:8080/admin` or `http://169.254.169.254/` (or a page
that redirects there) must not make the bot fetch an internal page, store it
and show it to its users. So only global addresses are connected to, unless
the person running the bot names private hosts or networks of their own
(`FETCH_ALLOW_PRIVATE=127.0.0.1,10.0.0.0/8,intranet.example`).

The check is made on the address actually connected to: a name is resolved
once, its addresses are checked, and the connection goes to a checked address
(`bot.ingest.fetch` does that in its network backend, on every connection,
so on every redirect hop too). Nothing resolves the name a second time, so a
name that answers a public address to a check and 127.0.0.1 to the connection
(DNS rebinding) gains nothing.

Refused: loopback, private, link-local, multicast, reserved, unspecified
(0.0.0.0, ::) and every other non-global address (100.64.0.0/10, documentation
ranges ...), IPv4 and IPv6; an IPv6 address that carries an IPv4 one
(::ffff:127.0.0.1, 6to4, NAT64, Teredo) is judged by the IPv4 address too.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
AddressInfo = tuple[int, int, int, str, tuple]  # socket.getaddrinfo's rows

SETTING = "FETCH_ALLOW_PRIVATE"
_HOSTNAME = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9_-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """A connection the guard refused; the message says why and which setting allows it."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(message)
        self.host = host


@dataclass(frozen=True)
class AllowedAddresses:
    """Non-global hosts and networks a fetch may reach anyway (the FETCH_ALLOW_PRIVATE setting)."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, entries: str | Iterable[str]) -> AllowedAddresses:
        """From '127.0.0.1,10.0.0.0/8,intranet.example' or a list of such entries; ValueError on a bad one."""
        if isinstance(entries, str):
            entries = entries.replace(";", ",").split(",")
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in (part.strip().lower().rstrip(".") for part in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
                continue
            except ValueError:
                pass
            if not _HOSTNAME.match(entry):
                raise ValueError(f"{entry!r} is neither an IP address, a network (10.0.0.0/8) nor a host name")
            hosts.add(entry)
        return cls(tuple(networks), frozenset(hosts))

    def __bool__(self) -> bool:
        return bool(self.networks or self.hosts)

    def allows(self, host: str, address: IPAddress) -> bool:
        """True when the host is named, or the address lies in a named network."""
        if _host_key(host) in self.hosts:
            return True
        candidates = {address, _unwrapped(address)}
        return any(candidate in network for candidate in candidates if candidate is not None for network in self.networks)


def kind_of(address: IPAddress) -> str | None:
    """Why an address is not one to fetch from ('loopback', 'private', ...), or None for a global address."""
    # An IPv4-mapped address is the IPv4 one; an address tunnelled through 6to4, NAT64 or Teredo must pass as both.
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    for candidate in (mapped,) if mapped is not None else (_unwrapped(address), address):
        if candidate is None:
            continue
        if candidate.is_unspecified:
            return "unspecified"
        if candidate.is_loopback:
            return "loopback"
        if candidate.is_link_local:
            return "link-local"
        if candidate.is_multicast:
            return "multicast"
        if candidate.is_reserved:
            return "reserved"
        if candidate.is_private:
            return "private"
        if not candidate.is_global:
            return "non-global"
    return None


def refusal(host: str, address: IPAddress, allowed: AllowedAddresses) -> str | None:
    """The reason a connection to `address` (which `host` resolved to) is refused, or None when it may go."""
    kind = kind_of(address)
    if kind is None or allowed.allows(host, address):
        return None
    article = "an" if kind[0] in "aeiou" else "a"
    shown = _host_key(host)
    what = f"{shown} is" if _literal(host) is not None else f"{shown} is {address},"
    return f"refused: {what} {article} {kind} address (set {SETTING} to allow it)"


def resolve(host: str, port: int, timeout: float | None = None) -> list[AddressInfo]:
    """The TCP addresses of a host (an IP literal without a lookup); socket.gaierror when it has none,
    TimeoutError when the lookup takes longer than `timeout` seconds (getaddrinfo itself has no timeout)."""
    literal = _literal(host)
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        sockaddr: tuple = (str(literal), port, 0, 0) if literal.version == 6 else (str(literal), port)
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]
    outcome: list[object] = []

    def lookup() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            outcome.append(error)

    # A daemon thread so a lookup that never ends cannot keep the fetch, or the process, waiting.
    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise TimeoutError(f"looking up {host} took longer than {timeout:g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]  # type: ignore[return-value]


def checked(host: str, addresses: list[AddressInfo], allowed: AllowedAddresses) -> list[AddressInfo]:
    """The addresses that may be connected to, in resolver order; AddressRefused when none may."""
    passed: list[AddressInfo] = []
    first_reason = ""
    for info in addresses:
        address = ipaddress.ip_address(info[4][0])
        reason = refusal(host, address, allowed)
        if reason is None:
            passed.append(info)
        else:
            first_reason = first_reason or reason
    if not passed:
        raise AddressRefused(host, first_reason or f"refused: {host} has no address")
    return passed


def url_refusal(url: str, allowed: AllowedAddresses, *, timeout: float = 5.0) -> str | None:
    """Why a URL is not one to fetch (its scheme, or an address its host resolves to), or None.

    For checks before anything is fetched (a feed being added): a host that does
    not resolve now passes, since the fetch itself is guarded and says what failed.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return "only http and https URLs can be fetched"
    try:
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        return f"not a valid URL ({error})"
    if not host:
        return "the URL names no host"
    try:
        checked(host, resolve(host, port, timeout), allowed)
    except AddressRefused as error:
        return str(error)
    except (OSError, TimeoutError, UnicodeError):
        return None
    return None


def _host_key(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _unwrapped(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, Teredo), if any."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
