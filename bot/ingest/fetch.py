"""Fetch web pages and feeds over HTTP with limits: the address guard, one deadline, redirects and size (canonical URLs: bot.ingest.urls).

Every fetch goes through a client from `make_client`, whose connections are made
by `GuardedBackend`: a host is resolved once, its addresses are checked by the
address guard (`bot.ingest.addresses`), and the connection goes to a checked
address; every redirect hop is a new connection, so it is checked too. The
same backend holds each exchange to one deadline (connect, request, headers
and body together): every wait on the socket is cut to the time left, so a
server that trickles its headers a byte a second is given up at the deadline.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpcore
import httpx

from bot.ingest.addresses import AddressRefused, AllowedAddresses, checked, resolve
from bot.ingest.charsets import decode_text

if TYPE_CHECKING:
    from bot.config import Settings

MAX_PAGE_BYTES = 10 * 1024 * 1024
TIMEOUT = 10.0
DEADLINE = 60.0
MAX_REDIRECTS = 5
USER_AGENT = "newsbrief/0.1 (+news briefing bot; feeds and article pages)"

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b", re.S)


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, for a person."""


@dataclass(frozen=True)
class Fetched:
    """What a GET brought back: the final URL after redirects, the body, its caching headers and all its headers as they came."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded (`bot.ingest.charsets`): the declared charset, else one named in the document, else UTF-8, else detected."""
        return decode_text(self.body, self.charset or sniff_charset(self.body))

    @property
    def is_feed(self) -> bool:
        """True when the body is RSS or Atom rather than a web page."""
        kind = self.content_type
        if "rss" in kind or "atom" in kind or kind in ("application/xml", "text/xml", "application/rdf+xml"):
            return True
        return bool(_FEED_START.match(self.body[:2048]))


def sniff_charset(head: bytes) -> str | None:
    """The charset an HTML meta tag or XML declaration names, if any."""
    head = head[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


@dataclass(frozen=True)
class FetchLimits:
    """What a fetch may do: wait `timeout` seconds for each connect or read, take `deadline` seconds
    in all (connect, headers and body), bring `max_bytes`, follow `max_redirects`, and reach the
    non-global addresses `allowed` names (none by default)."""

    timeout: float = TIMEOUT
    deadline: float = DEADLINE
    max_bytes: int = MAX_PAGE_BYTES
    max_redirects: int = MAX_REDIRECTS
    allowed: AllowedAddresses = field(default_factory=AllowedAddresses)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> FetchLimits:
        """FETCH_TIMEOUT, FETCH_DEADLINE, FETCH_MAX_BYTES and FETCH_ALLOW_PRIVATE (this process's settings by default)."""
        if settings is None:
            from bot.config import get_settings

            settings = get_settings()
        return cls(
            timeout=settings.fetch_timeout,
            deadline=settings.fetch_deadline,
            max_bytes=settings.fetch_max_bytes,
            allowed=AllowedAddresses.parse(settings.fetch_allow_private),
        )


# When the exchange in progress on this thread must be over (time.monotonic()), if one is.
_DEADLINE: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Every fetch inside must be done within `seconds` from now (or by an earlier deadline already set)."""
    ends = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(ends if outer is None else min(outer, ends))
    try:
        yield _DEADLINE.get()  # type: ignore[misc]
    finally:
        _DEADLINE.reset(token)


def _time_left(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` cut to what is left before the deadline; `error` when nothing is left."""
    ends = _DEADLINE.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise error("the fetch's deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the deadline of the exchange using it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        upgraded = self._stream.start_tls(ssl_context, server_hostname, _time_left(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(upgraded)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend with the address guard: resolve once, check, connect to the checked address.

    TLS is untouched: httpcore still sends the URL's host name as SNI and
    verifies the certificate for it; only the TCP connection is made to the
    address the check passed, never to a second lookup's answer.
    """

    def __init__(self, allowed: AllowedAddresses) -> None:
        self.allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port, _time_left(timeout, httpcore.ConnectTimeout))
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(str(error)) from error
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host} ({error})") from error
        last_error: Exception | None = None
        for info in checked(host, addresses, self.allowed):
            address = info[4][0]
            try:
                stream = super().connect_tcp(
                    address, port, _time_left(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as error:
                last_error = error
                continue
            return DeadlineStream(stream)
        raise last_error or httpcore.ConnectError(f"cannot connect to {host}")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on the GuardedBackend (no proxy: the guard sees every connection)."""

    def __init__(self, allowed: AllowedAddresses, *, limits: httpx.Limits | None = None) -> None:
        limits = limits or httpx.Limits(max_connections=20, max_keepalive_connections=10)
        super().__init__(limits=limits)
        self._pool.close()
        # httpx 0.28 takes no network backend of its own (encode/httpx#3749): the pool it would make, with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allowed),
        )


class FetchClient(httpx.Client):
    """An httpx client that carries its FetchLimits; its connections go through the address guard."""

    def __init__(self, limits: FetchLimits) -> None:
        self.limits = limits
        super().__init__(
            timeout=httpx.Timeout(limits.timeout, connect=min(limits.timeout, 5.0)),
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            transport=GuardedTransport(limits.allowed),
        )


def make_client(
    limits: FetchLimits | None = None,
    *,
    timeout: float | None = None,
    max_redirects: int | None = None,
    allow: str | Iterable[str] | AllowedAddresses | None = None,
) -> FetchClient:
    """An HTTP client with newsbrief's limits (strict defaults unless given): the address guard, timeouts,
    a redirect limit and its user agent. `allow` names non-global hosts or networks it may reach."""
    limits = limits or FetchLimits()
    changes: dict[str, Any] = {}
    if timeout is not None:
        changes["timeout"] = timeout
    if max_redirects is not None:
        changes["max_redirects"] = max_redirects
    if allow is not None:
        changes["allowed"] = allow if isinstance(allow, AllowedAddresses) else AllowedAddresses.parse(allow)
    if changes:
        limits = replace(limits, **changes)
    return FetchClient(limits)


def fetch(
    url: str,
    *,
    client: FetchClient | None = None,
    limits: FetchLimits | None = None,
    max_bytes: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET a URL; raise FetchError with a clear reason on refused addresses, HTTP errors, timeouts,
    loops or oversize bodies.

    Without a client, one is made from `limits` (this process's settings when not
    given). The whole exchange, redirects included, must be over within the
    limits' deadline. The body is read in chunks and the download stops as soon
    as it passes `max_bytes` (the limits' by default): a 50 MB answer never sits in memory.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if client is not None and not isinstance(client, FetchClient):
        raise TypeError("fetch needs a client from make_client(): it carries the address guard and the deadline")
    own_client = client is None
    client = client or make_client(limits or FetchLimits.from_settings())
    limits = client.limits
    max_bytes = max_bytes or limits.max_bytes
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        with deadline(limits.deadline) as ends, client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return Fetched(str(response.url), 304, "", None, b"", etag, last_modified)
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(f"{url}: HTTP {response.status_code} {reason}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: {_size(int(declared))} is larger than the {_size(max_bytes)} limit, refused")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: larger than the {_size(max_bytes)} limit, refused")
                if time.monotonic() > ends:
                    raise FetchError(f"{url}: still downloading after {limits.deadline:g} s, gave up")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(
                url=str(response.url),
                status=response.status_code,
                content_type=content_type,
                charset=response.charset_encoding,
                body=b"".join(chunks),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                headers={key.lower(): value for key, value in response.headers.items()},
            )
    except AddressRefused as error:
        original = (urlsplit(url).hostname or "").lower()
        hop = "" if error.host.strip("[]").lower().rstrip(".") == original else f"redirected to {error.host}, "
        raise FetchError(f"{url}: {hop}{error}") from error
    except httpx.TooManyRedirects as error:
        raise FetchError(f"{url}: too many redirects (a redirect loop?)") from error
    except httpx.TimeoutException as error:
        if "deadline" in str(error) or time.monotonic() - started >= limits.deadline - 0.05:
            raise FetchError(f"{url}: no complete answer within {limits.deadline:g} s, gave up") from error
        raise FetchError(f"{url}: timed out (no answer within {limits.timeout:g} s)") from error
    except httpx.DecodingError as error:
        raise FetchError(f"{url}: the server sent a body that does not decompress ({error})") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error or 'connection failed'}") from error
    finally:
        if own_client:
            client.close()


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count} bytes"
