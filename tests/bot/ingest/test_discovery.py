"""Finding the feed a URL names, over loopback HTTP: the feed itself, or the one its page links."""

from __future__ import annotations

import pytest

from bot.ingest.discovery import FoundFeed, NoFeed, feed_links, find_feed
from tests.bot.helpers import LoopbackSite, html_page, rss

ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    '<title>Loopback Atom</title><link href="https://atom.example/"/><id>urn:x</id><updated>2025-05-12T08:00:00Z</updated>'
    "<entry><title>One</title><id>urn:1</id><updated>2025-05-12T08:00:00Z</updated><summary>Text.</summary></entry></feed>"
)


def page_linking(*links: str, head: str = "") -> str:
    """An HTML page whose <head> has these <link> tags."""
    return f"<!DOCTYPE html><html><head><title>News</title>{head}{''.join(links)}</head><body><p>News.</p></body></html>"


def test_feed_links_are_the_rss_and_atom_alternates_in_page_order_resolved():
    html = page_linking(
        '<link rel="stylesheet" type="text/css" href="/style.css">',
        '<link rel="alternate" type="application/feed+json" href="/feed.json">',
        '<link rel="alternate" hreflang="de" href="/de/">',
        '<LINK REL="Alternate" TYPE="application/atom+xml; charset=utf-8" HREF="atom.xml"/>',
        '<link rel="alternate" type="application/rss+xml" href="https://other.example/rss">',
        '<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">',
    )
    assert feed_links(html, "https://news.example/world/today.html") == [
        "https://news.example/world/atom.xml",
        "https://other.example/rss",
    ]
    based = page_linking('<link rel="alternate" type="application/rss+xml" href="feed.xml">', head='<base href="/news/">')
    assert feed_links(based, "https://news.example/a/b.html") == ["https://news.example/news/feed.xml"]


def test_a_feed_url_is_checked_by_parsing_it(site: LoopbackSite):
    feed = site.serve("/feed.xml", rss([{"title": "One", "link": "https://a.example/1", "description": "d"}]), content_type="application/rss+xml")
    assert find_feed(feed, limits=site.limits) == FoundFeed(feed, "Loopback Feed", "https://loopback.example/")


def test_a_page_gives_its_first_rss_or_atom_feed(site: LoopbackSite):
    atom = site.serve("/atom.xml", ATOM, content_type="application/atom+xml")
    site.serve("/rss.xml", rss([]), content_type="application/rss+xml")
    page = site.serve(
        "/index.html",
        page_linking(
            '<link rel="alternate" type="application/feed+json" href="/feed.json">',
            '<link rel="alternate" type="application/atom+xml" href="atom.xml">',
            '<link rel="alternate" type="application/rss+xml" href="/rss.xml">',
        ),
    )
    assert find_feed(page, limits=site.limits) == FoundFeed(atom, "Loopback Atom", "https://atom.example/", page=page)
    assert [path for path, _ in site.requests] == ["/index.html", "/atom.xml"]


@pytest.mark.parametrize(
    ("path", "body", "content_type", "reason"),
    [
        ("/plain.html", html_page("Plain", "No feed here."), "text/html; charset=utf-8",
         'a web page that links no RSS or Atom feed (no <link rel="alternate" type="application/rss+xml">)'),
        ("/logo.png", b"\x89PNG\r\n\x1a\n", "image/png", "neither an RSS or Atom feed nor a web page (image/png)"),
        ("/broken.xml", "<rss><channel><title>Cut", "application/rss+xml", "not a readable RSS or Atom feed ("),
    ],
)
def test_neither_a_feed_nor_a_page_with_one_is_refused_in_one_line(site: LoopbackSite, path, body, content_type, reason):
    url = site.serve(path, body, content_type=content_type)
    with pytest.raises(NoFeed) as refused:
        find_feed(url, limits=site.limits)
    assert str(refused.value).startswith(f"{url}: {reason}")
    assert "\n" not in str(refused.value)


def test_a_page_whose_feed_link_fails_says_which_link(site: LoopbackSite):
    page = site.serve("/index.html", page_linking('<link rel="alternate" type="application/rss+xml" href="/gone.xml">'))
    inside = site.serve("/inside.html", page_linking('<link rel="alternate" type="application/rss+xml" href="http://10.1.2.3/rss">'))
    with pytest.raises(NoFeed) as gone:
        find_feed(page, limits=site.limits)
    with pytest.raises(NoFeed) as private:
        find_feed(inside, limits=site.limits)
    assert str(gone.value) == f"{page} links the feed {site.url('/gone.xml')}, but HTTP 404 Not Found"
    assert str(private.value) == (
        f"{inside} links the feed http://10.1.2.3/rss, but refused: 10.1.2.3 is a private address (set FETCH_ALLOW_PRIVATE to allow it)"
    )
