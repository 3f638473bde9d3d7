"""One reader for every file format: front matter, Markdown, HTML, JSON and JSONL, standard input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.pipeline import SAMPLES

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


NEWS = "Ankara’s café reopened on Monday — “finally”, the mayor said. Prices at the café rose by a fifth."


def test_utf16_and_utf32_files_with_a_byte_order_mark_are_text(tmp_path):
    article = "Café reopens\n\n" + NEWS
    # Python's utf-16 and utf-32 codecs write a byte-order mark; the -be one gets it by hand.
    (tmp_path / "le16.txt").write_bytes(article.encode("utf-16"))
    (tmp_path / "be16.txt").write_bytes(b"\xfe\xff" + article.encode("utf-16-be"))
    (tmp_path / "le32.txt").write_bytes(article.encode("utf-32"))

    read = [item for name in ("le16", "be16", "le32") for item in read_file(tmp_path / f"{name}.txt")]

    assert [(item.title, item.text) for item in read] == [("Café reopens", NEWS)] * 3


def test_one_bad_byte_leaves_the_rest_of_a_utf8_file_alone(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Caf\xc3\xa9 reopens\n\n" + NEWS.encode("utf-8").replace(b"Monday", b"Mon\xffday"))
    (tmp_path / "b.jsonl").write_bytes(b'{"title": "Caf\xc3\xa9 reopens", "text": "' + NEWS.encode("utf-8").replace(b"Monday", b"Mon\xe9day").replace(b"\xe2\x80\x9c", b"\\\"").replace(b"\xe2\x80\x9d", b"\\\"") + b'"}\n')

    [txt] = read_file(tmp_path / "a.txt")
    [jsonl] = read_file(tmp_path / "b.jsonl")

    assert (txt.title, txt.text) == ("Café reopens", NEWS.replace("Monday", "Mon\ufffdday"))
    assert (jsonl.title, jsonl.text) == ("Café reopens", NEWS.replace("Monday", "Mon\ufffdday").replace("“", '"').replace("”", '"'))


def test_files_in_a_single_byte_charset_are_still_read(tmp_path):
    russian = "Правительство объявило о новых мерах поддержки экономики в понедельник, сообщили в министерстве финансов."
    (tmp_path / "cp1252.txt").write_bytes(("Café reopens\n\n" + NEWS).encode("cp1252"))
    (tmp_path / "cp1251.txt").write_bytes(("Новые меры\n\n" + russian).encode("cp1251"))

    [western] = read_file(tmp_path / "cp1252.txt")
    [cyrillic] = read_file(tmp_path / "cp1251.txt")

    assert (western.title, western.text) == ("Café reopens", NEWS)
    assert (cyrillic.title, cyrillic.text) == ("Новые меры", russian)


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


ARTICLE = "The port reopened on Monday after the storm had closed it for three days, officials said."


def test_a_lead_image_is_read_from_front_matter_json_and_a_page(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: Port reopens\nurl: https://news.example/port/\nimage: pictures/port.jpg\n---\n{ARTICLE}")
    (tmp_path / "b.json").write_text(f'{{"title": "Port", "text": "{ARTICLE}", "image": "https://cdn.example/port.png"}}')
    (tmp_path / "c.html").write_text(
        '<html><head><title>Port reopens</title><meta property="og:image" content="https://cdn.example/og.webp"></head>'
        f"<body><article><h1>Port reopens</h1><p>{ARTICLE}</p></article></body></html>"
    )

    found = [item.image_url for name in ("a.md", "b.json", "c.html") for item in read_file(tmp_path / name)]

    assert found == ["https://news.example/port/pictures/port.jpg", "https://cdn.example/port.png", "https://cdn.example/og.webp"]


@pytest.mark.parametrize(
    "given",
    [
        "javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd", "ftp://a.example/p.jpg",
        "https://a.example/a b.jpg", "", "https://", "http://[::1/p.jpg", "http://a.example:99999/p.jpg",
    ],
)
def test_only_an_http_image_url_is_kept(tmp_path: Path, given: str) -> None:
    (tmp_path / "a.txt").write_text(f"---\ntitle: Port reopens\nimage: {given}\n---\n{ARTICLE}")

    [incoming] = read_file(tmp_path / "a.txt")

    assert incoming.image_url is None
