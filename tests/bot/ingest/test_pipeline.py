"""Ingest from files, folders, JSON, pages and feeds into a real store; faults give a reason and the rest goes on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.ingest.pipeline import demo_items, ingest, load_demo, store_items
from bot.ingest.read import IncomingArticle
from bot.store import (
    Store,
    article_count,
    articles_for_topic,
    get_article,
    latest_articles,
    open_store,
    search,
    topic_counts,
)
from bot.topics import Topics
from tests.bot.helpers import NOW, TRUCE, LoopbackSite, body, html_page, rss

RATES = body(
    "Turkey's central bank left its main interest rate unchanged at 42 percent on Monday.",
    "Annual inflation fell to 38 percent in April, and the lira was steady against the dollar.",
    words=150,
)


def write_folder(root: Path) -> Path:
    folder = root / "articles"
    (folder / "nested").mkdir(parents=True)
    (folder / "truce.txt").write_text("Truce agreed around Manbij\n\n" + TRUCE, encoding="utf-8")
    (folder / "rates.md").write_text(
        "---\nsource: Bosphorus Business Daily\npublished: 2025-05-12T09:05:00Z\nurl: https://bbd.example/rates\n---\n# Central bank holds rates\n\n" + RATES,
        encoding="utf-8",
    )
    (folder / "nested" / "page.html").write_text(html_page("Flood barrier approved", body("Three delta towns approved a flood barrier against rising sea levels.", words=120)), encoding="utf-8")
    (folder / "batch.jsonl").write_text(
        json.dumps({"id": 1, "title": "Grain quota cut", "text": body("Russia cut its grain export quota after a dry spring in Moscow's south.", words=100), "published": "2025-05-12T07:30:00Z", "source": "Northern Courier"})
        + "\n{not json}\n"
        + json.dumps({"id": 3, "title": "No text"})
        + "\n",
        encoding="utf-8",
    )
    (folder / "one.json").write_text(json.dumps({"title": "Chip plant planned", "body": body("A chipmaker plans a semiconductor plant for artificial intelligence chips.", words=100)}), encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "notes.csv").write_text("ignored", encoding="utf-8")
    return folder


def test_a_folder_is_ingested_and_each_failure_has_a_reason(store: Store, topics: Topics, tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    done: list[str] = []

    report = ingest(store, topics, [str(folder)], progress=done.append, now=NOW)

    assert (report.added, report.duplicates) == (5, 0)
    assert sorted((Path(origin.split(":")[0]).name, reason) for origin, reason in report.failed) == [
        ("batch.jsonl", "no \"text\" string"),
        ("batch.jsonl", "not valid JSON (Expecting property name enclosed in double quotes)"),
        ("empty.txt", "empty, nothing to store"),
        ("image.txt", "binary data, not text"),
    ]
    assert report.line().startswith("added 5, duplicates 0, failed 4 (")
    assert len(done) == 7
    titles = {article.title: article for article in latest_articles(store, limit=10)}
    assert set(titles) == {"Truce agreed around Manbij", "Central bank holds rates", "Flood barrier approved", "Grain quota cut", "Chip plant planned"}
    rates = titles["Central bank holds rates"]
    assert (rates.source, rates.url, rates.published_guessed) == ("Bosphorus Business Daily", "https://bbd.example/rates", False)
    assert titles["Truce agreed around Manbij"].published_guessed is True
    assert titles["Flood barrier approved"].source == "Loopback News"
    assert {"syria", "turkey", "economy", "russia", "climate", "technology"} <= set(topic_counts(store))


def test_a_rerun_adds_only_what_is_missing(store: Store, topics: Topics, tmp_path: Path) -> None:
    folder = write_folder(tmp_path)
    ingest(store, topics, [str(folder / "truce.txt")], now=NOW)

    report = ingest(store, topics, [str(folder)], now=NOW)

    assert (report.added, report.duplicates) == (4, 1)
    assert article_count(store) == 5


def test_an_interrupted_bulk_ingest_keeps_what_was_committed(store: Store, topics: Topics) -> None:
    def items_then_crash():
        yield IncomingArticle("Truce agreed around Manbij", TRUCE, "truce")
        yield IncomingArticle("Central bank holds rates", RATES, "rates")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store_items(store, topics, items_then_crash(), now=NOW)
    assert article_count(store) == 2

    rerun = store_items(
        store,
        topics,
        [IncomingArticle("Truce agreed around Manbij", TRUCE, "truce"), IncomingArticle("Central bank holds rates", RATES, "rates"),
         IncomingArticle("Grain", body("Russia cut its grain quota.", words=80), "grain")],
        now=NOW,
    )
    assert (rerun.added, rerun.duplicates, rerun.failed) == (1, 2, [])


def test_articles_from_a_slow_source_are_stored_before_the_batch_is_full(store: Store, topics: Topics) -> None:
    counted: list[int] = []

    def slow_source():
        yield IncomingArticle("Truce agreed around Manbij", TRUCE, "truce")
        counted.append(article_count(store))
        yield IncomingArticle("Central bank holds rates", RATES, "rates")
        counted.append(article_count(store))

    report = store_items(store, topics, slow_source(), now=NOW, wait=0.0)

    assert counted == [1, 2]
    assert (report.added, report.failed) == (2, [])


def test_a_locked_sqlite_file_gives_a_clear_message_and_loses_nothing(sqlite_store: Store, topics: Topics, tmp_path: Path) -> None:
    store_items(sqlite_store, topics, [IncomingArticle("Truce agreed around Manbij", TRUCE, "truce")], now=NOW)
    path = sqlite_store.engine.url.database
    impatient = open_store(f"sqlite:///{path}", upgrade=False, busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        report = store_items(impatient, topics, [IncomingArticle("Central bank holds rates", RATES, "rates")], now=NOW)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert report.added == 0
    assert report.failed == [("rates", report.failed[0][1])]
    assert "is locked by another process" in report.failed[0][1]
    assert article_count(impatient) == 1
    assert store_items(impatient, topics, [IncomingArticle("Central bank holds rates", RATES, "rates")], now=NOW).added == 1
    impatient.close()


def test_a_web_page_url_keeps_title_date_author_and_site(store: Store, topics: Topics, site: LoopbackSite) -> None:
    url = site.serve("/world/truce?utm_source=feed", html_page("Truce agreed around Manbij", TRUCE))
    empty = site.serve("/empty", "<html><body><nav>Home</nav></body></html>")

    report = ingest(store, topics, [url, empty, site.url("/gone")], limits=site.limits, now=NOW)

    assert report.added == 1
    assert sorted(reason for _, reason in report.failed) == ["HTTP 404 Not Found", "no article text found on the page"]
    (article,) = latest_articles(store)
    assert (article.title, article.source, article.author) == ("Truce agreed around Manbij", "Loopback News", "Rosa Vidal")
    assert article.published_at.isoformat() == "2025-05-12T08:00:00+00:00"
    assert article.canonical_url == site.url("/world/truce").replace("http://", "https://")
    assert "Home" not in article.text


def test_a_feed_url_brings_full_text_for_teasers(store: Store, topics: Topics, site: LoopbackSite) -> None:
    site.serve("/rates", html_page("Central bank holds rates", RATES))
    feed = site.serve(
        "/feed.xml",
        rss([
            {"title": "Central bank holds rates", "link": site.url("/rates"), "description": "Rates stay at 42 percent.", "pubDate": "Mon, 12 May 2025 09:05:00 GMT"},
            {"title": "Truce agreed around Manbij", "link": site.url("/truce"), "description": TRUCE.replace("\n\n", " "), "pubDate": "Mon, 12 May 2025 04:40:00 GMT"},
            {"title": "Gone", "link": site.url("/gone"), "description": ""},
        ]),
        content_type="application/rss+xml",
    )

    report = ingest(store, topics, [feed], limits=site.limits, now=NOW)

    assert (report.added, len(report.failed)) == (2, 1)
    assert "HTTP 404" in report.failed[0][1]
    rates = search(store, "lira inflation")[0]
    assert rates.title == "Central bank holds rates"
    assert "Annual inflation fell" in rates.text
    assert rates.published_at.isoformat() == "2025-05-12T09:05:00+00:00"


def test_malformed_feed_xml_is_a_failure_with_a_reason(store: Store, topics: Topics, site: LoopbackSite) -> None:
    feed = site.serve("/broken.xml", '<?xml version="1.0"?><rss><channel><title>x</title><item><title>unclosed', content_type="application/rss+xml")

    report = ingest(store, topics, [feed], limits=site.limits, now=NOW)

    assert report.added == 0
    assert report.failed[0][1].startswith("malformed feed XML")


def test_the_demo_set_loads_once_dated_just_now(store: Store, topics: Topics) -> None:
    first = load_demo(store, topics, now=NOW)
    again = load_demo(store, topics, now=NOW)

    assert (first.added, first.duplicates, first.failed) == (15, 0, [])
    assert (again.added, again.duplicates) == (0, 15)
    newest = latest_articles(store, limit=1)[0]
    assert (NOW - newest.published_at).total_seconds() == 30 * 60
    syria = articles_for_topic(store, "syria")
    assert len(syria) == 3
    assert len({article.story_id for article in syria}) == 2
    assert sorted(article.story_size for article in latest_articles(store, limit=20)).count(2) == 6
    for item in demo_items(NOW):
        assert "[Fictional sample article written for newsbrief." in Path(item.origin).read_text(encoding="utf-8")


def test_overlapping_bulk_ingests_at_once_store_each_article_once(backend, topics: Topics) -> None:
    import threading

    articles = [
        IncomingArticle(f"Story {number}", body(f"Story number {number} is about the harbour and item {number * 7}.", words=60), f"s{number}")
        for number in range(10)
    ]
    stores = [backend.open() for _ in range(3)]
    reports = []
    barrier = threading.Barrier(len(stores))

    def run(store: Store, order: list[IncomingArticle]) -> None:
        barrier.wait()
        reports.append(store_items(store, topics, order, now=NOW, batch=3))

    threads = [
        threading.Thread(target=run, args=(store, articles[index:] + articles[:index]))
        for index, store in zip((0, 4, 7), stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(report.added for report in reports) == 10
    assert sum(report.duplicates for report in reports) == 20
    assert [report.failed for report in reports] == [[], [], []]
    assert article_count(stores[0]) == 10
    for store in stores:
        store.close()


def test_a_feed_linking_to_internal_pages_gets_none_of_them(store: Store, topics: Topics, site: LoopbackSite) -> None:
    """A feed's teaser entries link to a loopback address, directly and through a redirect:
    neither page is fetched, stored or shown; each entry's failure says why."""
    with LoopbackSite("127.0.0.2") as internal:
        secret = internal.serve("/admin", html_page("Internal admin console", body("The internal admin console lists every account.", words=200)))
        site.redirect("/story", secret)
        feed = site.serve(
            "/feed.xml",
            rss([
                {"title": "Direct", "link": secret, "description": ""},
                {"title": "Redirected", "link": site.url("/story"), "description": ""},
            ]),
            content_type="application/rss+xml",
        )

        report = ingest(store, topics, [feed], limits=site.limits, now=NOW)

        assert internal.requests == []
    assert search(store, "internal admin console") == []
    assert (report.added, [origin for origin, _ in report.failed]) == (0, [secret, site.url("/story")])
    for _, reason in report.failed:
        assert "refused: 127.0.0.2 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)" in reason, reason
    assert latest_articles(store) == []


def test_nul_and_other_control_characters_never_reach_the_store(store: Store, topics: Topics, tmp_path: Path) -> None:
    """PostgreSQL refuses NUL in text: every text field loses NUL and the C0 controls but tab and newline."""
    text = body("The port reopened on Monday\x00 after the storm,\x07 officials said.", "Ships queued at the gate.\r\nTrade resumed.", words=60)
    row = {"title": "Port\x00 reopens\x1b", "text": text, "author": "Ana\x00 Lima", "source": "Harbour\x00 Gazette", "url": "https://harbour.example/port\x00"}
    (tmp_path / "port.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    # A NUL beyond the first 8 KB of a text file is not taken for binary data.
    (tmp_path / "long.txt").write_text("Dam approved\n\n" + RATES + "\n\n" + "x " * 5000 + "\x00the end.", encoding="utf-8")

    report = ingest(store, topics, [str(tmp_path / "port.jsonl"), str(tmp_path / "long.txt")], now=NOW)

    assert (report.added, report.failed) == (2, [])
    stored = {article.title: get_article(store, article.id) for article in latest_articles(store, limit=5)}
    port = stored["Port reopens"]
    assert port.text == text.replace("\x00", "").replace("\x07", "").replace("\r\n", "\n")
    assert (port.author, port.source, port.url) == ("Ana Lima", "Harbour Gazette", "https://harbour.example/port")
    assert stored["Dam approved"].text.endswith("x x the end.")


def long_body(chars: int) -> str:
    """An article body of exactly `chars` characters, one paragraph (a page's text comes back whole)."""
    sentence = "The harbour bridge reopened on Monday after a month of repairs. "
    return (sentence * (chars // len(sentence) + 1))[: chars - 1] + "."


def test_a_file_over_the_article_cap_is_refused_with_its_length_and_the_others_go_on(store: Store, topics: Topics, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("Bridge reopens\n\n" + long_body(3_200), encoding="utf-8")
    (tmp_path / "truce.txt").write_text("Truce agreed around Manbij\n\n" + TRUCE, encoding="utf-8")

    report = ingest(store, topics, [str(tmp_path)], now=NOW, max_chars=3_000)

    assert report.added == 1
    assert report.failed == [(str(tmp_path / "long.txt"), "too long: 3,200 characters, the limit is 3,000 (ARTICLE_MAX_CHARS)")]
    assert [article.title for article in latest_articles(store)] == ["Truce agreed around Manbij"]


def test_the_article_cap_is_the_setting_article_max_chars(
    store: Store, topics: Topics, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.config import get_settings

    (tmp_path / "long.md").write_text("# Bridge reopens\n\n" + long_body(2_500), encoding="utf-8")
    monkeypatch.setenv("ARTICLE_MAX_CHARS", "2000")
    get_settings.cache_clear()
    try:
        report = ingest(store, topics, [str(tmp_path / "long.md")], now=NOW)
    finally:
        monkeypatch.delenv("ARTICLE_MAX_CHARS")
        get_settings.cache_clear()

    assert report.failed == [(str(tmp_path / "long.md"), "too long: 2,500 characters, the limit is 2,000 (ARTICLE_MAX_CHARS)")]


def test_a_page_over_the_article_cap_is_refused_with_its_length(store: Store, topics: Topics, site: LoopbackSite) -> None:
    long = site.serve("/long", html_page("Bridge reopens", long_body(4_000)))
    short = site.serve("/truce", html_page("Truce agreed around Manbij", TRUCE))

    report = ingest(store, topics, [long, short], limits=site.limits, now=NOW, max_chars=3_000)

    assert report.added == 1
    assert report.failed == [(long, "too long: 4,000 characters, the limit is 3,000 (ARTICLE_MAX_CHARS)")]


def test_a_feed_entry_over_the_article_cap_is_refused_and_the_other_entries_are_stored(
    store: Store, topics: Topics, site: LoopbackSite
) -> None:
    site.serve("/long", html_page("Bridge reopens", long_body(4_000)))
    site.serve("/rates", html_page("Central bank holds rates", RATES))
    feed = site.serve(
        "/feed.xml",
        rss([
            {"title": "Bridge reopens", "link": site.url("/long"), "description": "The bridge is open again."},
            {"title": "Central bank holds rates", "link": site.url("/rates"), "description": "Rates stay at 42 percent."},
        ]),
        content_type="application/rss+xml",
    )

    report = ingest(store, topics, [feed], limits=site.limits, now=NOW, max_chars=3_000)

    assert report.added == 1
    ((origin, reason),) = report.failed
    assert (origin, reason) == (site.url("/long"), "too long: 4,000 characters, the limit is 3,000 (ARTICLE_MAX_CHARS)")
    assert [article.title for article in latest_articles(store)] == ["Central bank holds rates"]


def test_a_20_mb_text_file_is_refused_unread_at_the_default_cap(store: Store, topics: Topics, tmp_path: Path) -> None:
    # Sparse, all NUL bytes: read, it would be refused as binary; analysed, it would take minutes and gigabytes.
    with (tmp_path / "huge.txt").open("wb") as file:
        file.truncate(20 * 1024 * 1024)
    (tmp_path / "truce.txt").write_text("Truce agreed around Manbij\n\n" + TRUCE, encoding="utf-8")

    report = ingest(store, topics, [str(tmp_path)], now=NOW)

    assert report.added == 1
    assert report.failed == [(
        str(tmp_path / "huge.txt"),
        "too long: 20,971,520 bytes (at least 5,242,880 characters), the limit is 1,000,000 (ARTICLE_MAX_CHARS)",
    )]
