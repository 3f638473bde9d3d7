"""Which feed a URL names: the URL itself when it is an RSS or Atom feed, else the feed its HTML page links.

A page names its feed the way browsers and feed readers look for it:
`<link rel="alternate" type="application/rss+xml" href="/rss">` (or atom+xml), the
href resolved against the page's <base href> or its own final URL. The first
RSS or Atom link in the page wins. `feeds add`, on the command line and as
/feeds add in Telegram, checks a URL here before storing anything, so every
fetch goes through the address guard and the settings' limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bot.ingest.feeds import FeedError, parse_feed
from bot.ingest.fetch import Fetched, FetchClient, FetchError, FetchLimits, fetch

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class NoFeed(Exception):
    """A URL that is neither a feed nor a page linking one; the message says why, in one line."""


@dataclass(frozen=True)
class FoundFeed:
    """The feed to store: its URL, title and site; `page` is the page it was found on, when the URL given was one."""

    url: str
    title: str
    site_url: str
    page: str | None = None


def find_feed(url: str, *, client: FetchClient | None = None, limits: FetchLimits | None = None) -> FoundFeed:
    """The feed at `url`, or the first RSS or Atom feed its HTML page links; NoFeed says why there is none."""
    fetched = _fetch(url, client, limits)
    if fetched.is_feed:
        title, site = _read(fetched, f"{url}: not a readable RSS or Atom feed")
        return FoundFeed(url, title, site)
    if not _is_page(fetched):
        kind = fetched.content_type or "no content type"
        raise NoFeed(f"{url}: neither an RSS or Atom feed nor a web page ({kind})")
    links = feed_links(fetched.text(), fetched.url)
    if not links:
        raise NoFeed(f'{url}: a web page that links no RSS or Atom feed (no <link rel="alternate" type="application/rss+xml">)')
    feed_url = links[0]
    linked = _fetch(feed_url, client, limits, lead=f"{url} links the feed {feed_url}, but ")
    if not linked.is_feed:
        raise NoFeed(f"{url} links the feed {feed_url}, but that is not an RSS or Atom feed ({linked.content_type or 'no content type'})")
    title, site = _read(linked, f"{url} links the feed {feed_url}, but it is not readable")
    return FoundFeed(feed_url, title, site, page=url)


def feed_links(html: str, base_url: str) -> list[str]:
    """The absolute URLs of a page's RSS and Atom <link rel="alternate"> tags, in page order."""
    finder = _LinkFinder()
    finder.feed(html)
    finder.close()
    base = urljoin(base_url, finder.base) if finder.base else base_url
    found: list[str] = []
    for href in finder.hrefs:
        absolute = urljoin(base, href.strip())
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return found


class _LinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"].strip()
        elif tag == "link" and values.get("href"):
            rels = values.get("rel", "").lower().split()
            kind = values.get("type", "").split(";")[0].strip().lower()
            if "alternate" in rels and kind in FEED_TYPES:
                self.hrefs.append(values["href"])

    handle_startendtag = handle_starttag


def _fetch(url: str, client: FetchClient | None, limits: FetchLimits | None, *, lead: str = "") -> Fetched:
    try:
        return fetch(url, client=client, limits=limits)
    except FetchError as error:
        if not lead:
            raise NoFeed(str(error)) from error
        # The fetch error starts with the URL, which the lead has already named.
        raise NoFeed(lead + str(error).removeprefix(f"{url}: ")) from error


def _read(fetched: Fetched, problem: str) -> tuple[str, str]:
    """The feed's title and site, once it has parsed."""
    try:
        parsed = parse_feed(fetched.body, fetched.url, headers=fetched.headers)
    except FeedError as error:
        raise NoFeed(f"{problem} ({error})") from error
    return parsed.title, parsed.site_url


def _is_page(fetched: Fetched) -> bool:
    if fetched.content_type in PAGE_TYPES:
        return True
    head = fetched.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))
