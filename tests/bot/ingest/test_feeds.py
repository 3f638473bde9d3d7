"""Polling feeds over loopback HTTP: conditional GET, back-off on failure, slow feeds beside good ones, OPML in and out."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.config import get_settings
from bot.ingest.feeds import FeedError, parse_feed, read_opml, write_opml
from bot.ingest.pipeline import ingest, poll_due_feeds
from bot.store import Store, add_feed, article_count, get_feed, latest_articles, lead_image_url, list_feeds
from bot.topics import Topics
from tests.bot.helpers import NOW, LoopbackSite, TricklingServer, body, loopback_limits, rss

STORY = body("Russia cut its grain export quota after a dry spring, the ministry in Moscow said.", words=170)


def test_due_feeds_are_polled_with_a_conditional_get(store: Store, topics: Topics, site: LoopbackSite) -> None:
    url = site.serve(
        "/feed.xml",
        rss([{"title": "Grain quota cut", "link": "https://courier.example/grain", "description": STORY}], title="Northern Courier"),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    feed, _ = add_feed(store, url, interval_minutes=15, now=NOW)

    (first,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW)
    assert poll_due_feeds(store, topics, limits=site.limits, now=NOW + timedelta(minutes=14)) == []
    (second,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW + timedelta(minutes=15))

    assert (first.status, first.report.added) == ("updated", 1)
    assert second.status == "not-modified"
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    polled = get_feed(store, feed.id)
    assert (polled.title, polled.etag, polled.articles_added, polled.error_count) == ("Northern Courier", '"v1"', 1, 0)
    assert polled.next_poll_at == NOW + timedelta(minutes=30)
    assert article_count(store) == 1


def test_a_failing_feed_backs_off_and_shows_its_errors(store: Store, topics: Topics, site: LoopbackSite) -> None:
    broken = site.serve("/broken.xml", "<rss><channel><item><title>unclosed", content_type="application/rss+xml")
    good = site.serve("/good.xml", rss([{"title": "Grain", "link": "https://courier.example/g", "description": STORY}]), content_type="application/rss+xml")
    add_feed(store, site.url("/missing.xml"), interval_minutes=10, now=NOW)
    add_feed(store, broken, interval_minutes=10, now=NOW)
    add_feed(store, good, interval_minutes=10, now=NOW)

    polls = poll_due_feeds(store, topics, limits=site.limits, now=NOW)
    again = poll_due_feeds(store, topics, limits=site.limits, now=NOW + timedelta(minutes=20))

    assert [(poll.status, poll.error) for poll in polls] == [
        ("failed", "HTTP 404 Not Found"),
        ("failed", polls[1].error),
        ("updated", None),
    ]
    assert polls[1].error.startswith("malformed feed XML")
    # Most overdue first: the good feed was due at +10 min, the failing ones backed off to +20.
    assert [poll.feed.url for poll in again] == [good, site.url("/missing.xml"), broken]
    feeds = list_feeds(store)
    assert [(f.error_count, f.last_error is not None) for f in feeds] == [(2, True), (2, True), (0, False)]
    assert feeds[0].next_poll_at == NOW + timedelta(minutes=20) + timedelta(minutes=40)


def test_a_page_that_is_no_feed_is_refused() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"", "https://a.example/feed")


def test_atom_feeds_and_entry_content(site: LoopbackSite) -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>'
        '<link href="https://atom.example/"/><entry><title>Grain &amp; bread</title><link href="https://atom.example/g"/>'
        "<updated>2025-05-12T07:30:00Z</updated><content type=\"html\">&lt;p&gt;Russia cut its quota.&lt;/p&gt;</content></entry></feed>"
    ).encode()

    feed = parse_feed(atom, "https://atom.example/feed")

    assert (feed.title, feed.site_url) == ("Atom Desk", "https://atom.example/")
    (entry,) = feed.entries
    assert (entry.title, entry.url, entry.text, entry.published_at.isoformat()) == (
        "Grain & bread", "https://atom.example/g", "Russia cut its quota.", "2025-05-12T07:30:00+00:00"
    )


def test_opml_round_trip(store: Store, tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>'
        '<outline text="World"><outline text="Courier &amp; Co" type="rss" xmlUrl="https://courier.example/rss"/></outline>'
        '<outline title="Desk" xmlUrl="https://desk.example/atom" htmlUrl="https://desk.example/"/>'
        '<outline text="no feed here"/></body></opml>',
        encoding="utf-8",
    )

    found = read_opml(opml)
    for url, title in found:
        add_feed(store, url, title=title, now=NOW)
    written = write_opml(list_feeds(store))

    assert found == [("https://courier.example/rss", "Courier & Co"), ("https://desk.example/atom", "Desk")]
    assert read_opml(written.encode("utf-8")) == found
    with pytest.raises(FeedError, match="not a valid OPML file"):
        read_opml(b"<opml><body>")


def test_a_trickling_feed_holds_up_no_other_feed(store: Store, topics: Topics, site: LoopbackSite) -> None:
    """One feed's server sends its headers a byte a second and never finishes; the good feed is
    stored all the same, and the slow one fails at its deadline."""
    good = site.serve("/good.xml", rss([{"title": "Grain", "link": "https://courier.example/g", "description": STORY}]), content_type="application/rss+xml")
    polls: list[object] = []
    with TricklingServer(interval=1.0) as trickling:
        add_feed(store, trickling.url("/slow.xml"), interval_minutes=10, now=NOW - timedelta(minutes=1))
        add_feed(store, good, interval_minutes=10, now=NOW)
        limits = loopback_limits("127.0.0.1", timeout=10, deadline=2)
        worker = threading.Thread(target=lambda: polls.extend(poll_due_feeds(store, topics, limits=limits, now=NOW)), daemon=True)
        worker.start()
        worker.join(timeout=30)  # a hang detector: the deadline is 2 s
        assert not worker.is_alive(), "the poll was still waiting after 30 s"

    assert [(poll.feed.url, poll.status) for poll in polls] == [(trickling.url("/slow.xml"), "failed"), (good, "updated")]
    assert polls[0].error == "no complete answer within 2 s, gave up"
    assert (polls[1].report.added, article_count(store)) == (1, 1)


def test_a_poll_without_a_client_has_the_settings_limits(
    store: Store, topics: Topics, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the bot's feed job does (handlers/jobs.py passes no client): FETCH_MAX_BYTES and
    FETCH_ALLOW_PRIVATE of the process's settings apply to the feed and its pages."""
    big = site.serve("/big.xml", rss([{"title": "Grain", "link": "https://courier.example/g", "description": STORY}]), content_type="application/rss+xml")
    add_feed(store, big, interval_minutes=10, now=NOW)
    monkeypatch.setenv("FETCH_MAX_BYTES", "1000")
    monkeypatch.setenv("FETCH_ALLOW_PRIVATE", "127.0.0.1")
    get_settings.cache_clear()
    try:
        (poll,) = poll_due_feeds(store, topics, now=NOW)
        monkeypatch.delenv("FETCH_ALLOW_PRIVATE")
        monkeypatch.delenv("FETCH_MAX_BYTES")
        get_settings.cache_clear()
        (strict,) = poll_due_feeds(store, topics, now=NOW + timedelta(hours=1))
    finally:
        get_settings.cache_clear()

    assert (poll.status, poll.error) == ("failed", f"{len(site.routes['/big.xml'].body)} bytes is larger than the 1000 bytes limit, refused")
    assert (strict.status, strict.error) == ("failed", "refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)")


def undeclared_rss(channel: str, items: list[tuple[str, str]]) -> str:
    """An RSS 2.0 document without an XML declaration (so nothing in it names its charset)."""
    entries = "".join(f"<item><title>{title}</title><description>{text}</description></item>" for title, text in items)
    return f'<rss version="2.0"><channel><title>{channel}</title>{entries}</channel></rss>'


def test_an_empty_feed_is_a_feed_with_no_entries(store: Store, topics: Topics, site: LoopbackSite) -> None:
    """Valid but empty: no entries yet is not an error, and the feed is not backed off."""
    empty = site.serve("/empty.xml", "<rss><channel></channel></rss>", content_type="application/rss+xml")
    add_feed(store, empty, interval_minutes=10, now=NOW)

    (poll,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW)

    assert parse_feed(b"<rss><channel></channel></rss>", "https://a.example/feed").entries == ()
    assert parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title></feed>', "https://a.example/atom").title == "Desk"
    assert (poll.status, poll.error, poll.report.line()) == ("updated", None, "added 0, duplicates 0, failed 0")
    assert (get_feed(store, poll.feed.id).error_count, get_feed(store, poll.feed.id).next_poll_at) == (0, NOW + timedelta(minutes=10))


NEWS = {
    "windows-1251": ("Новости дня", "Правительство объявило о новых мерах", "Правительство объявило о новых мерах поддержки экономики в понедельник, сообщили в министерстве финансов."),
    "koi8-r": ("Новости дня", "Парламент одобрил бюджет", "Парламент одобрил бюджет на следующий год после долгих споров о расходах на оборону и образование."),
    "euc-jp": ("今日のニュース", "政府が新たな経済対策を発表", "政府は月曜日、物価の上昇を受けて家計を支援する新たな経済対策を発表したと財務省が明らかにした。"),
    "euc-kr": ("오늘의 뉴스", "정부 새 경제 대책 발표", "정부는 월요일 물가 상승에 따라 가계를 지원하는 새로운 경제 대책을 발표했다고 재무부가 밝혔다."),
    "tis-620": ("ข่าววันนี้", "รัฐบาลประกาศมาตรการใหม่", "รัฐบาลประกาศมาตรการใหม่เพื่อสนับสนุนเศรษฐกิจเมื่อวันจันทร์ หลังจากราคาสินค้าสูงขึ้นอย่างต่อเนื่อง"),
}


@pytest.mark.parametrize("charset", list(NEWS))
@pytest.mark.parametrize("declared", [True, False], ids=["charset-in-header", "no-charset-anywhere"])
def test_a_feed_without_an_xml_declaration_is_read_in_its_own_charset(
    store: Store, topics: Topics, site: LoopbackSite, charset: str, declared: bool
) -> None:
    """The bytes and the Content-Type as they came reach feedparser: the header's charset when there is one,
    a detected one when nothing names it (not ISO-8859-1 mojibake)."""
    channel, title, text = NEWS[charset]
    content_type = f"application/rss+xml; charset={charset}" if declared else "application/rss+xml"
    url = site.serve("/feed.xml", undeclared_rss(channel, [(title, text)]).encode(charset), content_type=content_type)
    add_feed(store, url, interval_minutes=10, now=NOW)

    (poll,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW)

    assert (poll.status, poll.report.added, poll.feed.title) == ("updated", 1, channel)
    (article,) = latest_articles(store, limit=5)
    assert (article.title, article.text) == (title, text)


def test_one_bad_byte_leaves_the_rest_of_a_utf8_feed_alone() -> None:
    """One invalid byte becomes U+FFFD; the rest of the feed is not re-read as cp1252 or Latin-1."""
    title = "Café crème: Zürich’s “naïve” façade — déjà vu"
    data = undeclared_rss("Genève", [(title, "Ça va, señor? Øresund, Ålborg, Kraków, Łódź, São Paulo.")]).encode("utf-8")
    broken = data.replace("Ça va".encode(), b"\xe7a va")  # Ç as one cp1252 byte inside UTF-8

    feed = parse_feed(broken, "https://a.example/feed", headers={"Content-Type": "application/rss+xml; charset=utf-8"})

    (entry,) = feed.entries
    assert (feed.title, entry.title, entry.text) == ("Genève", title, "\ufffda va, señor? Øresund, Ålborg, Kraków, Łódź, São Paulo.")


def dated_items(count: int) -> list[dict[str, str]]:
    """`count` RSS items, dated a minute apart, in shuffled order (a feed is not always sorted)."""
    order = sorted(range(count), key=lambda index: (index * 7919) % count)
    return [
        {
            "title": f"Council vote number {index}",
            "description": f"Councillors of district {index} voted on budget line {index * 13} on Monday.",
            "pubDate": format_datetime(NOW - timedelta(minutes=index)),
        }
        for index in order
    ]


def test_a_feed_over_the_limit_keeps_its_newest_entries_and_says_so(
    store: Store, topics: Topics, site: LoopbackSite, caplog: pytest.LogCaptureFixture
) -> None:
    url = site.serve("/long.xml", rss(dated_items(350)), content_type="application/rss+xml")
    add_feed(store, url, interval_minutes=10, now=NOW)

    with caplog.at_level(logging.WARNING, logger="bot.ingest.pipeline"):
        (poll,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW)
    feed = parse_feed(site.routes["/long.xml"].body, url)

    note = f"feed {url}: 350 entries, kept the newest 200"
    assert (feed.entry_count, len(feed.entries)) == (350, 200)
    assert sorted(entry.title for entry in feed.entries) == sorted(f"Council vote number {index}" for index in range(200))
    assert poll.report.line() == f"added {poll.report.added}, duplicates {poll.report.duplicates}, failed 0; {note}"
    assert poll.report.added + poll.report.duplicates == 200
    assert [record.getMessage() for record in caplog.records] == [note]


def test_ingesting_a_feed_url_over_the_limit_says_so(store: Store, topics: Topics, site: LoopbackSite) -> None:
    url = site.serve("/long.xml", rss(dated_items(201)), content_type="application/rss+xml")

    report = ingest(store, topics, [url], limits=site.limits, now=NOW)

    assert report.notes == [f"feed {url}: 201 entries, kept the newest 200"]
    assert report.line().endswith(f"; feed {url}: 201 entries, kept the newest 200")


def test_a_polled_feed_entry_over_the_article_cap_is_refused_and_the_others_stored(
    store: Store, topics: Topics, site: LoopbackSite
) -> None:
    long = ("The grain harvest in the south was the largest in a decade, the ministry said. " * 60).strip()
    url = site.serve(
        "/feed.xml",
        rss([
            {"title": "Record harvest", "link": "https://courier.example/harvest", "description": long},
            {"title": "Grain quota cut", "link": "https://courier.example/grain", "description": STORY},
        ]),
        content_type="application/rss+xml",
    )
    add_feed(store, url, interval_minutes=15, now=NOW)

    (poll,) = poll_due_feeds(store, topics, limits=site.limits, now=NOW, max_chars=3_000)

    assert (poll.status, poll.report.added) == ("updated", 1)
    assert poll.report.failed == [
        ("https://courier.example/harvest", f"too long: {len(long):,} characters, the limit is 3,000 (ARTICLE_MAX_CHARS)")
    ]


def test_an_entrys_picture_is_its_image_enclosure_media_content_or_thumbnail() -> None:
    items = "".join(
        f"<item><title>{title}</title><link>https://n.example/{title}</link><description>Text.</description>{extra}</item>"
        for title, extra in [
            ("a", '<enclosure url="https://n.example/a.jpg" type="image/jpeg" length="10"/>'),
            ("b", '<media:content url="https://n.example/b.png" medium="image"/>'),
            ("c", '<media:thumbnail url="/c.webp"/>'),
            ("d", '<enclosure url="https://n.example/d.mp3" type="audio/mpeg" length="10"/><media:content url="javascript:x" medium="image"/>'),
            ("e", '<media:content url="https://n.example/e.mp4" type="video/mp4"/><media:thumbnail url="https://n.example/e.jpg"/>'),
        ]
    )
    document = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>F</title>'
        f"{items}</channel></rss>"
    ).encode()

    feed = parse_feed(document, "https://n.example/feed")

    assert [entry.image_url for entry in feed.entries] == [
        "https://n.example/a.jpg", "https://n.example/b.png", "https://n.example/c.webp", None, "https://n.example/e.jpg"
    ]


def test_a_polled_entry_keeps_its_picture_and_a_teaser_its_pages(store: Store, topics: Topics, site: LoopbackSite) -> None:
    page = site.serve(
        "/full",
        '<html><head><title>Dam</title><meta property="og:image" content="https://cdn.example/dam.jpg"></head><body><article>'
        f"<h1>Dam</h1><p>{body('The dam on the river was opened on Monday, engineers said.', words=200)}</p></article></body></html>",
    )
    feed_xml = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        f"<item><title>Dam opens</title><link>{page}</link><description>The dam opened.</description></item>"
        f"<item><title>Bridge</title><link>https://n.example/b</link><description>{body('The bridge over the bay was closed on Tuesday after a crash, police said.', words=200)}</description>"
        '<enclosure url="https://n.example/bridge.jpg" type="image/jpeg" length="1"/></item></channel></rss>'
    )
    feed_url = site.serve("/feed.xml", feed_xml, content_type="application/rss+xml")

    report = ingest(store, topics, [feed_url], limits=site.limits)

    assert report.added == 2
    stored = {article.title: lead_image_url(store, -article.id) for article in latest_articles(store, limit=5)}
    assert stored == {"Dam opens": "https://cdn.example/dam.jpg", "Bridge": "https://n.example/bridge.jpg"}
