"""RSS and Atom feeds: parse, read their entries as articles (fetching the page of a teaser), OPML in and out.

Polling feeds on their schedule is the pipeline's (`bot.ingest.pipeline.poll_due_feeds`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

import feedparser

from bot.ingest.fetch import FetchClient, FetchError, fetch, sniff_charset
from bot.ingest.read import IncomingArticle, Item, Unreadable, fetched_page_article, parse_time
from bot.store import Feed
from summaries.text import decode, normalize, strip_html

# An entry with fewer words than this is a teaser: the article page is fetched for the full text.
TEASER_WORDS = 150
MAX_ENTRIES = 200


class FeedError(ValueError):
    """A feed that cannot be read; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, its text as the feed gives it."""

    title: str
    url: str | None
    text: str
    published_at: datetime | None
    author: str = ""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, site and entries."""

    url: str
    title: str
    site_url: str
    entries: tuple[FeedEntry, ...]


def parse_feed(data: bytes, url: str, charset: str | None = None) -> ParsedFeed:
    """A feed from its bytes; FeedError when it is not a feed or is broken beyond its entries."""
    headers = {"content-location": url}
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    parsed = feedparser.parse(data, response_headers=headers)
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed XML ({problem})" if problem else "malformed feed XML")
    if not parsed.entries and not parsed.feed.get("title") and parsed.get("version", "") == "":
        raise FeedError("not an RSS or Atom feed")
    entries = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        html = ""
        for content in entry.get("content", []) or []:
            if len(content.get("value", "")) > len(html):
                html = content.get("value", "")
        summary = entry.get("summary", "") or ""
        if len(summary) > len(html):
            html = summary
        text = normalize(strip_html(html))
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        entries.append(
            FeedEntry(
                title=normalize(strip_html(entry.get("title", "") or "")),
                url=entry.get("link") or None,
                text=text,
                published_at=parse_time(published),
                author=str(entry.get("author", "") or ""),
            )
        )
    if parsed.bozo and not any(entry.url or entry.text for entry in entries):
        problem = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed XML ({problem}), no readable entry" if problem else "malformed feed XML")
    return ParsedFeed(
        url=url,
        title=normalize(strip_html(parsed.feed.get("title", "") or "")),
        site_url=parsed.feed.get("link", "") or "",
        entries=tuple(entries),
    )


def feed_items(feed: ParsedFeed, *, client: FetchClient | None = None) -> Iterator[Item]:
    """The articles of a feed's entries; an entry with only a teaser gets its page's full text."""
    for entry in feed.entries:
        origin = entry.url or f"{feed.url} entry {entry.title!r}"
        text = entry.text
        if len(text.split()) < TEASER_WORDS and entry.url:
            try:
                page = fetched_page_article(fetch(entry.url, client=client), entry.url)
            except FetchError as error:
                page = Unreadable(origin, str(error))
            if isinstance(page, IncomingArticle) and len(page.text.split()) > len(text.split()):
                yield IncomingArticle(
                    title=entry.title or page.title,
                    text=page.text,
                    origin=origin,
                    url=page.url or entry.url,
                    source=page.source or feed.title,
                    author=entry.author or page.author,
                    published_at=entry.published_at or page.published_at,
                )
                continue
            if not text:
                yield Unreadable(origin, f"the entry has no text and its page gave none ({getattr(page, 'reason', '')})")
                continue
        if not text:
            yield Unreadable(origin, "the entry has no text and no link")
            continue
        yield IncomingArticle(
            title=entry.title,
            text=text,
            origin=origin,
            url=entry.url,
            source=feed.title,
            author=entry.author,
            published_at=entry.published_at,
        )


def read_opml(source: str | Path | bytes) -> list[tuple[str, str]]:
    """(feed URL, title) of every feed outline in an OPML file, nested folders included."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        root = ElementTree.fromstring(decode(data, sniff_charset(data)).lstrip("\ufeff").encode("utf-8"))
    except ElementTree.ParseError as error:
        raise FeedError(f"not a valid OPML file ({error})") from error
    found: list[tuple[str, str]] = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url and url.strip():
            title = outline.get("title") or outline.get("text") or ""
            found.append((url.strip(), title.strip()))
    return found


def write_opml(feeds: list[Feed], title: str = "newsbrief feeds") -> str:
    """An OPML 2.0 document listing the feeds."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_escape(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = feed.title or feed.url
        attributes = f'type="rss" text={quoteattr(name)} title={quoteattr(name)} xmlUrl={quoteattr(feed.url)}'
        if feed.site_url:
            attributes += f" htmlUrl={quoteattr(feed.site_url)}"
        lines.append(f"    <outline {attributes}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
