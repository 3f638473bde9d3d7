from __future__ import annotations

from bot.store import list_feeds
from tests.bot.helpers import LoopbackSite, html_page, rss
from tests.handlers.harness import live_bot

ADMIN = 1_000_001  # the loopback server gives the first user this id


async def test_admin_commands_are_refused_to_others(tmp_path):
    async with live_bot(tmp_path, admin_ids=frozenset({42})) as bot:
        chat = bot.chat()
        [stats] = await chat.command("stats")
        [ingest] = await chat.command("ingest", "https://example.org/")
    assert stats.text == "That command is for the people who run this bot."
    assert ingest.text == "That command is for the people who run this bot."


async def test_stats_for_an_admin(tmp_path):
    async with live_bot(tmp_path, admin_ids=frozenset({ADMIN})) as bot:
        chat = bot.chat()
        assert chat.chat_id == ADMIN
        await chat.command("subscribe", "syria")
        [stats] = await chat.command("stats")
    lines = stats.text.split("\n")
    assert lines[0] == "newsbrief stats"
    assert lines[1].startswith("Articles stored: ")
    assert lines[3] == "Chats: 1 known, 1 active, 1 subscribed"


async def test_ingest_a_page_and_manage_feeds(tmp_path):
    paragraphs = " ".join(
        f"The harbour council met for the {n}th time this year to discuss the old swing bridge and its repair." for n in range(1, 9)
    )
    with LoopbackSite() as site:
        page = site.serve("/bridge.html", html_page("Harbour bridge repair approved", paragraphs))
        broken = site.serve("/gone.html", "missing", status=404)
        feed = site.serve("/feed.xml", rss([{"title": "Bridge", "link": page, "description": "Bridge news"}]), content_type="application/rss+xml")
        async with live_bot(tmp_path, admin_ids=frozenset({ADMIN}), fetch_allow_private=("127.0.0.1",)) as bot:
            chat = bot.chat()
            # "Fetching…" at once, the report when the fetch and the analysis are done.
            ingest = await chat.command("ingest", f"{page} {broken}", count=2)
            [bare] = await chat.command("ingest")
            [added] = await chat.command("feeds", f"add {feed}")
            [listed] = await chat.command("feeds")
            [removed] = await chat.command("feeds", "remove 1")
    assert ingest[0].text == "Fetching 2 URLs…"
    assert ingest[1].text.startswith("Ingest: added 1, duplicates 0, failed 1 (")
    assert "404" in ingest[1].text
    assert bare.text == "Send /ingest followed by a page or feed URL (http or https)."
    assert added.text == f"Added feed 1: {feed} (every 30 min)"
    assert listed.text.startswith("Feeds\n1. ")
    assert removed.text == "Removed."


async def test_feeds_add_finds_a_page_s_feed_and_refuses_what_is_not_one(tmp_path):
    with LoopbackSite() as site:
        feed = site.serve("/rss.xml", rss([], title="Loopback Feed"), content_type="application/rss+xml")
        page = site.serve("/", '<html><head><link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>')
        plain = site.serve("/about.html", html_page("About", "About us."))
        async with live_bot(tmp_path, admin_ids=frozenset({ADMIN}), fetch_allow_private=("127.0.0.1",)) as bot:
            chat = bot.chat()
            [found] = await chat.command("feeds", f"add {page}")
            [refused] = await chat.command("feeds", f"add {plain}")
            stored = [(f.url, f.title) for f in list_feeds(bot.store)]
    assert found.text == f"{page} is a web page; its feed is {feed}. Added feed 1: {feed} (every 30 min)"
    assert refused.text == (
        f'Not added: {plain}: a web page that links no RSS or Atom feed (no <link rel="alternate" type="application/rss+xml">)'
    )
    assert stored == [(feed, "Loopback Feed")]


async def test_ingest_and_feeds_add_refuse_loopback_addresses_by_default(tmp_path):
    with LoopbackSite() as site:
        page = site.serve("/internal.html", html_page("Internal", "An internal page."))
        async with live_bot(tmp_path, admin_ids=frozenset({ADMIN})) as bot:
            chat = bot.chat()
            ingest = await chat.command("ingest", page, count=2)
            [added] = await chat.command("feeds", f"add {page}")
            [listed] = await chat.command("feeds")
        assert site.requests == []
    refusal = "refused: 127.0.0.1 is a loopback address (set FETCH_ALLOW_PRIVATE to allow it)"
    assert ingest[1].text == f"Ingest: added 0, duplicates 0, failed 1 ({page}: {refusal})"
    assert added.text == f"Not added: {page}: {refusal}"
    assert listed.text == "No feeds yet. Add one with /feeds add URL."


async def test_ingest_has_the_settings_fetch_limits(tmp_path):
    paragraphs = " ".join(f"The harbour council met for the {n}th time this year to discuss the swing bridge." for n in range(1, 9))
    with LoopbackSite() as site:
        page = site.serve("/bridge.html", html_page("Harbour bridge repair approved", paragraphs))
        async with live_bot(tmp_path, admin_ids=frozenset({ADMIN}), fetch_allow_private=("127.0.0.1",), fetch_max_bytes=500) as bot:
            ingest = await bot.chat().command("ingest", page, count=2)
    assert ingest[1].text.startswith("Ingest: added 0, duplicates 0, failed 1 (")
    assert "is larger than the 500 bytes limit, refused" in ingest[1].text


async def test_ingest_refuses_a_page_over_the_bots_article_cap(tmp_path):
    long = "The harbour bridge reopened on Monday after a month of repairs. " * 80
    text = long.strip()
    with LoopbackSite() as site:
        page = site.serve("/bridge.html", html_page("Harbour bridge reopens", text))
        async with live_bot(tmp_path, admin_ids=frozenset({ADMIN}), fetch_allow_private=("127.0.0.1",), article_max_chars=3_000) as bot:
            ingest = await bot.chat().command("ingest", page, count=2)
    assert ingest[1].text == (
        f"Ingest: added 0, duplicates 0, failed 1 ({page}: too long: {len(text):,} characters, the limit is 3,000 (ARTICLE_MAX_CHARS))"
    )
