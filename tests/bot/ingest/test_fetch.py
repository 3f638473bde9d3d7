"""Fetching over real loopback HTTP: errors, limits, charsets; canonical URLs."""

from __future__ import annotations

import pytest

from bot.ingest.fetch import FetchError, canonical_url, fetch, make_client
from tests.bot.helpers import LoopbackSite


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.COM:80/News/Story/?utm_source=tw&utm_medium=x&id=7&fbclid=abc#comments", "https://example.com/News/Story?id=7"),
        ("https://example.com/a?b=2&a=1&gclid=x", "https://example.com/a?a=1&b=2"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:8443//a//b/", "https://example.com:8443/a/b"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
    ],
)
def test_canonical_urls(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_a_page_is_fetched_with_its_headers(site: LoopbackSite) -> None:
    url = site.serve("/a", "<p>hello</p>", headers={"ETag": '"v1"', "Last-Modified": "Mon, 12 May 2025 10:00:00 GMT"})

    fetched = fetch(url)

    assert (fetched.status, fetched.content_type, fetched.charset, fetched.body) == (200, "text/html", "utf-8", b"<p>hello</p>")
    assert (fetched.etag, fetched.last_modified) == ('"v1"', "Mon, 12 May 2025 10:00:00 GMT")


@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")])
def test_http_errors_say_which(site: LoopbackSite, status: int, reason: str) -> None:
    url = site.serve("/e", "x", status=status)
    with pytest.raises(FetchError, match=reason):
        fetch(url)


def test_a_missing_page_is_404(site: LoopbackSite) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(site.url("/nothing-here"))


def test_a_slow_server_times_out(site: LoopbackSite) -> None:
    url = site.serve("/slow", "late", delay=1.5)
    with make_client(timeout=0.3) as client, pytest.raises(FetchError, match="timed out"):
        fetch(url, client=client)


def test_a_redirect_loop_is_refused(site: LoopbackSite) -> None:
    site.redirect("/loop-a", "/loop-b")
    site.redirect("/loop-b", "/loop-a")
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(site.url("/loop-a"))


def test_redirects_are_followed_to_the_final_url(site: LoopbackSite) -> None:
    site.serve("/final", "<p>here</p>")
    site.redirect("/old", "/final", status=301)
    assert fetch(site.url("/old")).url == site.url("/final")


def test_a_huge_body_is_refused_while_streaming(site: LoopbackSite) -> None:
    site.routes["/huge"] = __import__("tests.bot.helpers", fromlist=["Route"]).Route(stream_bytes=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than the 10 MB limit, refused"):
        fetch(site.url("/huge"))


def test_a_declared_length_over_the_cap_is_refused_before_reading(site: LoopbackSite) -> None:
    url = site.serve("/big", b"x" * 5000)
    with pytest.raises(FetchError, match="5000 bytes is larger than the 1000 bytes limit"):
        fetch(url, max_bytes=1000)


def test_text_is_decoded_with_or_without_a_declared_charset(site: LoopbackSite) -> None:
    text = "Ankara’s café reopened — “finally”"
    declared = site.serve("/cp1252", text.encode("cp1252"), content_type="text/html; charset=windows-1252")
    in_meta = site.serve("/meta", b'<meta charset="windows-1252">' + text.encode("cp1252"), content_type="text/html")
    undeclared = site.serve("/plain", text.encode("cp1252"), content_type="text/plain")
    wrong = site.serve("/wrong", text.encode("cp1252"), content_type="text/html; charset=utf-8")
    bogus = site.serve("/bogus", text.encode("utf-8"), content_type="text/html; charset=x-no-such-charset")

    assert fetch(declared).text() == text
    assert fetch(in_meta).text().endswith(text)
    assert fetch(undeclared).text() == text
    assert fetch(wrong).text() == text
    assert fetch(bogus).text() == text


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch("file:///etc/passwd")
