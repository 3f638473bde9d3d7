"""Turn files into articles: read, decode, find the title and the main text.

Reading only: `bot.ingestion` stores what is read here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from summaries.article import Article
from summaries.cleaning import split_title
from summaries.language import detect_language
from summaries.text import decode, looks_binary, normalize, strip_html

MAX_FILE_BYTES = 50 * 1024 * 1024


class UnreadableArticle(ValueError):
    """A source that holds no article we can read; the message says why."""


def read_article_file(path: str | Path) -> Article:
    """The article in a .txt, .md or .html file, or on standard input for '-'."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        suffix = ".txt"
    else:
        file = Path(path)
        if not file.is_file():
            raise UnreadableArticle(f"{path}: no such file")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise UnreadableArticle(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused")
        data = file.read_bytes()
        suffix = file.suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableArticle(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused")
    return article_from_bytes(data, suffix, name=str(path))


def article_from_bytes(data: bytes, suffix: str = ".txt", name: str = "input", charset: str | None = None) -> Article:
    """An article from raw bytes whose kind is given by a file suffix."""
    if looks_binary(data):
        raise UnreadableArticle(f"{name}: binary data, not text")
    text = decode(data, charset)
    if not text.strip():
        raise UnreadableArticle(f"{name}: empty, nothing to analyze")
    if suffix not in (".html", ".htm", ".xhtml"):
        _, text = split_front_matter(text)
    if suffix in (".html", ".htm", ".xhtml"):
        title, body = html_title_and_text(text)
    elif suffix in (".md", ".markdown"):
        title, body = markdown_title_and_text(text)
    else:
        title, body = split_title(text)
    if not normalize(body):
        if title:
            body = title
        else:
            raise UnreadableArticle(f"{name}: no article text found")
    return Article(text=body, title=title, language=detect_language(body))


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
