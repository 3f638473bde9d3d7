"""Fetch web pages and feeds over HTTP with limits: time, redirects and size; and canonical URLs."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from summaries.text import decode

MAX_PAGE_BYTES = 10 * 1024 * 1024
TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "newsbrief/0.1 (+news briefing bot; feeds and article pages)"

# Query parameters that say how a reader arrived, not which page it is.
_TRACKING = re.compile(
    r"^(?:utm_\w*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|"
    r"mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|ref_src|ref_url|cmpid|ncid|ocid|sr_share|spm|"
    r"share|shared|smid|s_cid|at_medium|at_campaign|at_custom\d*|guccounter|guce_referrer\w*)$",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b", re.S)


class FetchError(Exception):
    """A URL that could not be fetched; the message says why, for a person."""


@dataclass(frozen=True)
class Fetched:
    """What a GET brought back: the final URL after redirects, the body and its caching headers."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET."""
        return self.status == 304

    def text(self) -> str:
        """The body decoded: the declared charset, else one named in the document, else UTF-8, else cp1252."""
        return decode(self.body, self.charset or sniff_charset(self.body))

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


def make_client(timeout: float = TIMEOUT, max_redirects: int = MAX_REDIRECTS) -> httpx.Client:
    """An HTTP client with newsbrief's limits: timeouts, a redirect limit and its user agent."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=True,
        max_redirects=max_redirects,
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
    etag: str | None = None,
    last_modified: str | None = None,
    total_timeout: float = 60.0,
) -> Fetched:
    """GET a URL; raise FetchError with a clear reason on HTTP errors, timeouts, loops or oversize bodies.

    The body is read in chunks and the download stops as soon as it passes
    `max_bytes`: a 50 MB answer never sits in memory.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    own_client = client is None
    client = client or make_client()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        with client.stream("GET", url, headers=headers) as response:
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
                if time.monotonic() - started > total_timeout:
                    raise FetchError(f"{url}: still downloading after {total_timeout:g} s, gave up")
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
            )
    except httpx.TooManyRedirects as error:
        raise FetchError(f"{url}: too many redirects (a redirect loop?)") from error
    except httpx.TimeoutException as error:
        raise FetchError(f"{url}: timed out (no answer within {client.timeout.read or TIMEOUT:g} s)") from error
    except httpx.DecodingError as error:
        raise FetchError(f"{url}: the server sent a body that does not decompress ({error})") from error
    except httpx.HTTPError as error:
        raise FetchError(f"{url}: {type(error).__name__}: {error or 'connection failed'}") from error
    finally:
        if own_client:
            client.close()


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.0f} MB" if count >= 1024 * 1024 else f"{count} bytes"


def canonical_url(url: str) -> str:
    """The URL as a duplicate key: https, lower-case host without www. and default port,
    no fragment, no tracking parameters, the remaining parameters sorted."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = sorted((key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(key))
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def site_name(url: str) -> str:
    """A source name from a URL when the page names none: its host without www."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
