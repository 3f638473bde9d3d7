"""One reader for every file format: front matter, Markdown, HTML, JSON and JSONL, standard input."""

from __future__ import annotations

from bot.ingest.pipeline import SAMPLES
from pathlib import Path

from bot.ingest.read import IncomingArticle, Unreadable, read_file


def test_the_sample_files_still_read_with_front_matter() -> None:
    (incoming,) = list(read_file(SAMPLES / "syria-manbij-truce.txt"))

    assert incoming.title == "Turkey and Kurdish-Led Forces Agree to a Three-Day Truce Around Manbij"
    assert "source:" not in incoming.text
    assert incoming.source == "Levant Ledger"


def test_a_stored_title_is_read_without_bidirectional_controls(tmp_path):
    (tmp_path / "a.txt").write_text("Minister \u202eresigns\u202c\n\n" + "The minister resigned on Monday, officials said. " * 3)
    (tmp_path / "b.jsonl").write_text('{"title": "Port \\u2067reopens\\u2069", "text": "The port reopened on Monday after the storm, officials said."}\n')
    [txt] = read_file(tmp_path / "a.txt")
    [jsonl] = read_file(tmp_path / "b.jsonl")
    assert (txt.title, jsonl.title) == ("Minister resigns", "Port reopens")


def test_front_matter_and_page_titles_are_read_without_bidirectional_controls(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Minister \u202eresigns\u202c\n---\n" + "The minister resigned on Monday, officials said. " * 3)
    (tmp_path / "b.html").write_text(
        "<html><head><title>Port \u2067reopens\u2069</title></head><body><article><h1>Port reopens</h1>"
        "<p>The port reopened on Monday after the storm had closed it for three days, officials said.</p></article></body></html>"
    )
    [markdown] = read_file(tmp_path / "a.md")
    [page] = read_file(tmp_path / "b.html")
    assert (markdown.title, page.title) == ("Minister resigns", "Port reopens")


def test_a_text_file_too_large_for_the_article_cap_is_refused_unread(tmp_path: Path) -> None:
    # A sparse 20 MB file of NUL bytes: had it been read, it would be refused as binary data.
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(20 * 1024 * 1024)

    (item,) = read_file(huge, max_chars=1_000_000)

    assert item == Unreadable(
        str(huge), "too long: 20,971,520 bytes (at least 5,242,880 characters), the limit is 1,000,000 (ARTICLE_MAX_CHARS)"
    )


def test_a_text_file_within_four_bytes_a_character_of_the_cap_is_read(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text("Bridge reopens\n\n" + "The bridge reopened on Monday. " * 100, encoding="utf-8")

    (item,) = read_file(article, max_chars=1_000)

    assert isinstance(item, IncomingArticle)
    assert len(item.text) == len("The bridge reopened on Monday. " * 100) - 1
