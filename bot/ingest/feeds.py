"""RSS and Atom feeds: parse, read their entries as articles (fetching the page of a teaser), OPML in and out.

Polling feeds on their schedule is the pipeline's (`bot.ingest.pipeline.poll_due_feeds`).
"""

from __future__ import annotations

import codecs
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import feedparser
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

from bot.ingest.charsets import MAX_BAD_UTF8, bad_utf8_share, decode_text
from bot.ingest.fetch import FetchClient, FetchError, fetch, sniff_charset
from bot.ingest.read import IncomingArticle, Item, Unreadable, fetched_page_article, parse_time
from bot.ingest.urls import image_url
from bot.store import Feed
from summaries.text import normalize, strip_html

# An entry with fewer words than this is a teaser: the article page is fetched for the full text.
TEASER_WORDS = 150
# A feed keeps its newest entries up to this many (a poll that finds more says so).
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
    image_url: str | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, site and entries."""

    url: str
    title: str
    site_url: str
    entries: tuple[FeedEntry, ...]
    entry_count: int = 0

    @property
    def dropped(self) -> int:
        """How many older entries were left out (over MAX_ENTRIES)."""
        return max(0, self.entry_count - len(self.entries))


def parse_feed(
    data: bytes, url: str, charset: str | None = None, *, headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    """A feed from its bytes and the HTTP headers it came with; FeedError when it is not a feed or is broken beyond its entries.

    feedparser reads the charset the way RFC 3023 says, from the Content-Type header as it came, the
    XML declaration and a byte-order mark, detecting it (chardet) when they are missing or wrong.
    `charset` alone stands for a header naming it. A feed with more than MAX_ENTRIES entries keeps the
    newest of them; `entry_count` says how many it had.
    """
    given = {key.lower(): value for key, value in (headers or {}).items()}
    content_type = given.get("content-type", "").strip()
    if not content_type:
        # Without a Content-Type feedparser takes ISO-8859-1, which decodes anything and hides mojibake;
        # application/xml keeps the XML rules: the declaration, else UTF-8, else a detected charset.
        content_type = f"application/xml; charset={charset}" if charset else "application/xml"
    response_headers = {"content-type": content_type, "content-location": url}
    parsed = feedparser.parse(_repaired_utf8(data, content_type), response_headers=response_headers)
    problem = parsed.get("bozo_exception")
    # A charset override or a non-XML media type is how the feed was served, not a broken feed.
    broken = bool(parsed.bozo) and not isinstance(problem, (CharacterEncodingOverride, NonXMLContentType))
    if broken and not parsed.entries:
        raise FeedError(f"malformed feed XML ({problem})" if problem else "malformed feed XML")
    if not parsed.entries and not parsed.feed.get("title") and parsed.get("version", "") == "":
        raise FeedError("not an RSS or Atom feed")
    entries = [_entry(entry) for entry in parsed.entries]
    if broken and not any(entry.url or entry.text for entry in entries):
        raise FeedError(f"malformed feed XML ({problem}), no readable entry" if problem else "malformed feed XML")
    return ParsedFeed(
        url=url,
        title=normalize(strip_html(parsed.feed.get("title", "") or "")),
        site_url=parsed.feed.get("link", "") or "",
        entries=newest(entries, MAX_ENTRIES),
        entry_count=len(entries),
    )


def newest(entries: list[FeedEntry], count: int) -> tuple[FeedEntry, ...]:
    """The `count` newest entries in feed order; undated ones count as older than any dated one, earlier in the feed as newer."""
    if len(entries) <= count:
        return tuple(entries)
    oldest = datetime.min.replace(tzinfo=UTC)
    # sorted() with reverse=True keeps equal keys in feed order.
    ranked = sorted(
        range(len(entries)),
        key=lambda index: (entries[index].published_at is not None, entries[index].published_at or oldest),
        reverse=True,
    )
    return tuple(entries[index] for index in sorted(ranked[:count]))


def _repaired_utf8(data: bytes, content_type: str) -> bytes:
    """A UTF-8 feed with a few bad bytes, those bytes replaced by U+FFFD: else feedparser reads the whole feed in another charset."""
    _, _, declared = content_type.partition("charset=")
    name = declared.split(";")[0].strip().strip("\"'") or sniff_charset(data) or "utf-8"
    try:
        if codecs.lookup(name).name != "utf-8":
            return data
    except LookupError:
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        if bad_utf8_share(data) <= MAX_BAD_UTF8:
            return data.decode("utf-8", errors="replace").encode("utf-8")
    return data


def _entry(entry: Mapping[str, Any]) -> FeedEntry:
    html = ""
    for content in entry.get("content", []) or []:
        if len(content.get("value", "")) > len(html):
            html = content.get("value", "")
    summary = entry.get("summary", "") or ""
    if len(summary) > len(html):
        html = summary
    published = entry.get("published") or entry.get("updated") or entry.get("created")
    return FeedEntry(
        title=normalize(strip_html(entry.get("title", "") or "")),
        url=entry.get("link") or None,
        text=normalize(strip_html(html)),
        published_at=parse_time(published),
        author=str(entry.get("author", "") or ""),
        image_url=entry_image(entry),
    )


def entry_image(entry: Mapping[str, Any]) -> str | None:
    """An entry's picture: an image enclosure, else media:content (an image), else media:thumbnail; http(s) only."""
    base = entry.get("link") or None
    candidates: list[Any] = []
    for enclosure in entry.get("enclosures", []) or []:
        if str(enclosure.get("type", "")).lower().startswith("image/"):
            candidates.append(enclosure.get("href") or enclosure.get("url"))
    for media in entry.get("media_content", []) or []:
        kind = str(media.get("type", "")).lower()
        if media.get("medium") == "image" or kind.startswith("image/") or (not kind and not media.get("medium")):
            candidates.append(media.get("url"))
    for thumbnail in entry.get("media_thumbnail", []) or []:
        candidates.append(thumbnail.get("url"))
    return next((found for found in (image_url(candidate, base) for candidate in candidates) if found), None)


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
                    image_url=entry.image_url or page.image_url,
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
            image_url=entry.image_url,
        )


def read_opml(source: str | Path | bytes) -> list[tuple[str, str]]:
    """(feed URL, title) of every feed outline in an OPML file, nested folders included."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        root = ElementTree.fromstring(decode_text(data, sniff_charset(data)).lstrip("\ufeff").encode("utf-8"))
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
