"""Where articles come from: one reader for every file format and for web pages.

Plain text, Markdown (`.md`), HTML pages, JSON and JSONL files, any of them with
a `---` front-matter block, and fetched pages: each is read into an
IncomingArticle, or an Unreadable that says why. `newsbrief ingest` and
`newsbrief analyze` both read through `read_file`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.ingest.charsets import decode_text, is_binary
from bot.ingest.urls import canonical_url, image_url, site_name
from summaries.cleaning import split_title
from summaries.text import normalize, strip_html

if TYPE_CHECKING:
    from bot.ingest.fetch import Fetched

MAX_FILE_BYTES = 50 * 1024 * 1024
STDIN = "-"
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl")
# Keys a JSON article may use for its body, in order of preference.
_BODY_KEYS = ("text", "body", "article", "content")
# A character takes at most 4 bytes (UTF-8, UTF-16): a text file of more than 4 bytes a character
# of the article cap is over it, whatever its encoding, and is refused unread.
_MAX_BYTES_PER_CHAR = 4
_TEXT_SUFFIXES = (".txt", ".md", ".markdown")
_DATE_KEYS = ("published_at", "published", "date", "pubdate", "datetime", "time")


@dataclass(frozen=True)
class IncomingArticle:
    """An article as read from its source, before analysis."""

    title: str
    text: str
    origin: str
    url: str | None = None
    source: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str | None = None
    # The story's lead image (og:image, a feed's enclosure or media:content, front matter `image:`): an http(s) URL, never fetched at ingest.
    image_url: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """A source item that gave no article, and why.

    `empty` marks a source with nothing in it, which each command words in its own way.
    """

    origin: str
    reason: str
    empty: bool = False


Item = IncomingArticle | Unreadable


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601, RFC 2822 or a Unix time; naive times are taken as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def expand_paths(targets: list[str]) -> list[str]:
    """Files and URLs to read: folders become their article files (sorted, recursively)."""
    expanded: list[str] = []
    for target in targets:
        path = Path(target)
        if not is_url(target) and path.is_dir():
            expanded.extend(
                str(file)
                for file in sorted(path.rglob("*"))
                if file.is_file() and file.suffix.lower() in ARTICLE_SUFFIXES and not file.name.startswith(".")
            )
        else:
            expanded.append(target)
    return expanded


def is_url(target: str) -> bool:
    """True for an http(s) URL."""
    return bool(re.match(r"^https?://", target, re.IGNORECASE))


def read_file(path: str | Path, *, max_chars: int | None = None) -> Iterator[Item]:
    """The articles of one file: one for .txt/.md/.html, any number for .json and .jsonl; '-' reads stdin as text.

    With `max_chars` (ingest passes ARTICLE_MAX_CHARS), a text file too large to hold at most that
    many characters is refused without being read whole; ingest checks the others once their text is known.
    """
    origin = str(path)
    text_bytes = _MAX_BYTES_PER_CHAR * max_chars if max_chars else MAX_FILE_BYTES
    if origin == STDIN:
        most = min(MAX_FILE_BYTES, text_bytes)
        data = sys.stdin.buffer.read(most + 1)
        if len(data) > most:
            if max_chars and most < MAX_FILE_BYTES:
                yield Unreadable(origin, _too_large(f"more than {most:,}", most, max_chars))
            else:
                yield Unreadable(origin, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused")
            return
        handed, data = [data], b""
        yield _file_article(handed, ".txt", origin)
        return
    file = Path(path)
    if not file.is_file():
        yield Unreadable(origin, "no such file")
        return
    size = file.stat().st_size
    if max_chars and file.suffix.lower() in _TEXT_SUFFIXES and size > text_bytes:
        yield Unreadable(origin, _too_large(f"{size:,}", size, max_chars))
        return
    if size > MAX_FILE_BYTES:
        yield Unreadable(origin, f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused")
        return
    suffix = file.suffix.lower()
    try:
        data = file.read_bytes()
    except OSError as error:
        yield Unreadable(origin, f"cannot read: {error.strerror or error}")
        return
    if suffix == ".jsonl":
        yield from _jsonl_articles(data, origin)
    elif suffix == ".json":
        yield from _json_articles(data, origin)
    else:
        # Handed over, not kept here: the bytes of a 10 MB page are freed once decoded, before extraction.
        handed, data = [data], b""
        yield _file_article(handed, suffix, origin)


def _too_large(size: str, size_bytes: int, limit: int) -> str:
    return (
        f"too long: {size} bytes (at least {size_bytes // _MAX_BYTES_PER_CHAR:,} characters), "
        f"the limit is {limit:,} (ARTICLE_MAX_CHARS)"
    )


def _file_article(handed: list[bytes], suffix: str, origin: str) -> Item:
    data = handed.pop()
    if is_binary(data):
        return Unreadable(origin, "binary data, not text")
    text = decode_text(data)
    del data
    if not text.strip():
        return Unreadable(origin, "empty, nothing to store", empty=True)
    if suffix in (".html", ".htm", ".xhtml"):
        return page_article(text, origin=origin, url=None)
    fields, text = split_front_matter(text)
    if suffix in (".md", ".markdown"):
        title, body = markdown_title_and_text(text)
    else:
        title, body = split_title(text)
    title = normalize(fields.get("title") or title)
    if not normalize(body):
        return Unreadable(origin, "no article text found")
    return IncomingArticle(
        title=title,
        text=body,
        origin=origin,
        url=fields.get("url") or None,
        source=fields.get("source") or fields.get("site") or "",
        author=fields.get("author") or "",
        published_at=parse_time(fields.get("published") or fields.get("date")),
        language=fields.get("language") or None,
        image_url=image_url(fields.get("image"), fields.get("url") or None),
    )


def article_from_mapping(row: dict[str, Any], origin: str) -> Item:
    """An article from a JSON object: text (or body/article/content), title, url, source, author, published."""
    body = next((row[key] for key in _BODY_KEYS if isinstance(row.get(key), str) and row[key].strip()), None)
    if body is None:
        return Unreadable(origin, 'no "text" string')
    title = row.get("title") if isinstance(row.get("title"), str) else ""
    if not title:
        title, body = split_title(body)
    published = next((row[key] for key in _DATE_KEYS if row.get(key) not in (None, "")), None)
    url = row.get("url") if isinstance(row.get("url"), str) else None
    return IncomingArticle(
        title=normalize(title),
        text=body,
        origin=origin,
        url=url or None,
        source=str(row.get("source") or row.get("site") or row.get("site_name") or ""),
        author=str(row.get("author") or ""),
        published_at=parse_time(published),
        language=row.get("language") if isinstance(row.get("language"), str) else None,
        image_url=image_url(row.get("image"), url),
    )


def _json_articles(data: bytes, origin: str) -> Iterator[Item]:
    try:
        parsed = json.loads(decode_text(data))
    except ValueError as error:
        yield Unreadable(origin, f"not valid JSON ({error})")
        return
    rows = parsed if isinstance(parsed, list) else [parsed]
    for index, row in enumerate(rows, 1):
        where = origin if len(rows) == 1 else f"{origin}[{index}]"
        if not isinstance(row, dict):
            yield Unreadable(where, "not a JSON object")
            continue
        yield article_from_mapping(row, where)


def _jsonl_articles(data: bytes, origin: str) -> Iterator[Item]:
    for number, line in enumerate(decode_text(data).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            row = json.loads(line)
        except ValueError as error:
            yield Unreadable(where, f"not valid JSON ({error.msg})")
            continue
        if not isinstance(row, dict):
            yield Unreadable(where, "not a JSON object")
            continue
        identifier = row.get("id")
        yield article_from_mapping(row, f"{where} (id {identifier})" if identifier is not None else where)


def page_article(page: str, *, origin: str, url: str | None) -> Item:
    """The main article of an HTML page with its title, date, author and site name (trafilatura)."""
    metadata = _page_metadata(page, url)
    title, body = html_title_and_text(page)
    title = normalize(metadata.get("title") or title)
    body = _without_leading_title(body, title)
    if len(normalize(body).split()) < 5:
        return Unreadable(origin, "no article text found on the page")
    page_url = metadata.get("url") or url
    if page_url and url and site_name(page_url) != site_name(url):
        # A canonical link to another site is more often a syndication partner than this page.
        page_url = url
    return IncomingArticle(
        title=title,
        text=body,
        origin=origin,
        url=page_url,
        source=metadata.get("sitename") or (site_name(url) if url else ""),
        author=metadata.get("author") or "",
        published_at=parse_time(metadata.get("date")),
        image_url=image_url(metadata.get("image"), url or page_url),
    )


def _page_metadata(page: str, url: str | None) -> dict[str, str]:
    import trafilatura

    try:
        document = trafilatura.extract_metadata(
            page, default_url=url, date_config={"extensive_search": True, "original_date": True,
                                                "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
        )
    except Exception:  # trafilatura raises many kinds on broken markup: no metadata then.
        return {}
    if document is None:
        return {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return {key: str(value) for key, value in data.items() if isinstance(value, str) and value.strip()}


def _without_leading_title(body: str, title: str) -> str:
    if title:
        first, _, rest = body.partition("\n")
        if normalize(first).casefold() == normalize(title).casefold() and rest.strip():
            return rest.strip()
    return body


def fetched_page_article(fetched: Fetched, origin: str) -> Item:
    """The article of a fetched web page."""
    return page_article(fetched.text(), origin=origin, url=fetched.url)


def url_key(url: str | None) -> str | None:
    """The canonical form of a URL for duplicate checks, None for none."""
    return canonical_url(url) if url else None


def html_title_and_text(page: str) -> tuple[str, str]:
    """Title and main text of an HTML page, through trafilatura, falling back to plain tag stripping."""
    import trafilatura

    title = ""
    body = ""
    try:
        extracted = trafilatura.bare_extraction(page, include_comments=False, with_metadata=True)
    except Exception:  # trafilatura raises many kinds on broken markup; the fallback covers them.
        extracted = None
    if extracted is not None:
        data = extracted if isinstance(extracted, dict) else extracted.as_dict()
        title = (data.get("title") or "").strip()
        body = data.get("text") or ""
    if not body.strip():
        match = re.search(r"<title[^>]*>(.*?)</title>", page, re.I | re.S)
        title = title or (normalize(match.group(1)) if match else "")
        body = strip_html(page)
    return title, normalize(body)


_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_MD_MARKUP = re.compile(r"(\*\*|__|`|^>\s?|^\s*[-*+]\s+(?=\S))", re.M)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def markdown_title_and_text(text: str) -> tuple[str, str]:
    """Title (the first heading) and plain text of a Markdown article."""
    lines = normalize(text).split("\n")
    title = ""
    body_lines = []
    for line in lines:
        heading = _MD_HEADING.match(line)
        if heading and not title:
            title = heading.group(1)
            continue
        body_lines.append(heading.group(1) if heading else line)
    body = _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", "\n".join(body_lines)))
    if not title:
        return split_title(body)
    return title, body.strip()


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading `---` block of `key: value` lines (dates, source, URL) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        found = _FRONT_LINE.match(line)
        if found:
            fields[found.group(1).lower().replace("-", "_")] = found.group(2).strip().strip("\"'")
    if not fields:
        return {}, text
    return fields, text[match.end() :]
