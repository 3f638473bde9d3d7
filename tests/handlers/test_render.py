from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import render
from summaries.briefing import Briefing, BriefingQuote, Source, Story
from telegram_loopback.html_rules import parse_html

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def story(key: int, headline: str = "Bridge repair approved", summary: tuple[str, ...] = ("The council voted 7-2.",), **values: object) -> Story:
    defaults: dict[str, object] = {
        "key": key,
        "headline": headline,
        "summary": summary,
        "quote": None,
        "sources": (Source("Harbour Herald", "https://herald.example/a?x=1&y=2", headline, key),),
        "story_ids": (key,),
        "article_count": 1,
        "published_at": NOW,
        "score": 1.0,
    }
    defaults.update(values)
    return Story(**defaults)  # type: ignore[arg-type]


def briefing(*stories: Story, **values: object) -> Briefing:
    fields: dict[str, object] = {"title": "Harbour", "since": NOW - timedelta(hours=24), "until": NOW, "stories": tuple(stories)}
    fields.update(values)
    return Briefing(**fields)  # type: ignore[arg-type]


def plain(message: str) -> str:
    """What the user sees, parsed by Telegram's HTML rules (raises on anything Telegram rejects)."""
    return parse_html(message)[0]


def test_a_briefing_page_reads_as_a_briefing():
    quote = BriefingQuote("It is overdue", "Mayor Elena Marsh", "Elena Marsh", "Harbour Herald", None, 1)
    [message] = render.render_briefing(briefing(story(1, quote=quote)))
    assert plain(message) == (
        "Harbour · 1 story from the last 24 hours\n\n"
        "1. Bridge repair approved\n"
        "The council voted 7-2.\n"
        "“It is overdue” — Mayor Elena Marsh\n"
        "📰 Harbour Herald"
    )
    assert '<a href="https://herald.example/a?x=1&amp;y=2">Harbour Herald</a>' in message


def test_article_text_is_escaped_never_markup():
    nasty = story(1, headline="<script>alert(1)</script> & <b>bold</b>", summary=("5 < 6 & 7 > 3 <i>",))
    [message] = render.render_briefing(briefing(nasty))
    assert "<script>" not in message
    assert "1. <script>alert(1)</script> & <b>bold</b>" in plain(message)
    assert "5 < 6 & 7 > 3 <i>" in plain(message)


def test_unsafe_links_become_plain_names():
    evil = story(1, sources=(Source("Evil", 'javascript:alert("x")', "t", 1), Source("Quote\"d", 'https://a.example/"><b>', "t", 2)))
    [message] = render.render_briefing(briefing(evil))
    assert "javascript" not in message
    assert plain(message).endswith("📰 Reported by 2 outlets: Evil, Quote\"d")


def test_a_story_reported_by_many_outlets_says_how_many_and_names_the_first():
    sources = tuple(Source(f"Outlet {n}", None, "t", n) for n in range(1, 6))
    [message] = render.render_briefing(briefing(story(1, sources=sources, outlet_count=7)))
    assert plain(message).endswith("📰 Reported by 7 outlets: Outlet 1, Outlet 2, Outlet 3, Outlet 4 and 3 more")


def test_an_update_shows_only_what_is_new_marked_as_new():
    update = story(1, summary=("Salvage crews will refloat the ferry on Wednesday.",), status="updated", news_only=True)
    [message] = render.render_briefing(briefing(update))
    assert "1. Bridge repair approved 🔄 updated\nNew: Salvage crews will refloat the ferry on Wednesday." in plain(message)


def test_more_on_a_story_names_the_outlet_of_each_sentence_of_its_summary():
    told = (("The ferry ran aground.", "Harbour Herald"), ("All 80 passengers were rescued.", "Coast Wire"))
    detail = render.render_story_detail(story(1, told=told))
    assert "• The ferry ran aground. (Harbour Herald)\n• All 80 passengers were rescued. (Coast Wire)" in plain(detail[0])


def test_long_briefings_are_cut_between_stories_within_the_limit():
    long_summary = tuple("A sentence of the story that goes on and on about the bridge and its repair. " * 6 for _ in range(3))
    stories = [story(index, headline=f"Story number {index}", summary=long_summary) for index in range(1, 6)]
    messages = render.render_briefing(briefing(*stories))
    assert len(messages) > 1
    for message in messages:
        text = plain(message)
        assert len(text.encode("utf-16-le")) // 2 <= render.MESSAGE_LIMIT
    # every story block is whole in exactly one message
    for index in range(1, 6):
        assert sum(f"{index}. Story number {index}" in plain(message) for message in messages) == 1


def test_visible_length_counts_utf16_units_and_entities_once():
    assert render.visible_length("<b>a&amp;b</b>") == 3
    assert render.visible_length("😀") == 2
    assert render.visible_length("שלום") == 4


def test_pack_never_splits_a_block_and_keeps_order():
    blocks = ["<b>" + "x" * 3000 + "</b>", "<i>" + "y" * 3000 + "</i>", "z"]
    assert render.pack(blocks) == [blocks[0], blocks[1] + "\n\nz"]


def test_an_oversized_block_is_cut_as_plain_text():
    messages = render.pack(["a", "<b>" + "€" * 9000 + "</b>"])
    assert messages[0] == "a"
    assert all(render.visible_length(message) <= render.MESSAGE_LIMIT for message in messages)
    assert "".join(plain(message) for message in messages[1:]) == "€" * 9000


def test_widened_window_and_left_out_stories_are_said():
    header = render.briefing_header(briefing(story(1), since=NOW - timedelta(days=7), widened_from=timedelta(hours=24), personal=True, unchanged=2))
    assert plain(header) == (
        "Harbour · 1 story from the last 7 days\n"
        "Nothing in the last 24 hours, so this covers the last 7 days. 2 stories you already have left out."
    )


def test_empty_briefings_say_why():
    assert plain(render.render_briefing(briefing())[0]) == "Harbour: no articles in the last 24 hours."
    nothing_new = briefing(personal=True, unchanged=3)
    assert plain(render.render_empty(nothing_new)) == "Harbour: nothing new since your last briefing (3 stories unchanged)."


def test_new_and_updated_stories_are_marked():
    [message] = render.render_briefing(briefing(story(1, status="new"), story(2, headline="Ferry fares", status="updated")))
    assert "1. Bridge repair approved 🆕" in plain(message)
    assert "2. Ferry fares 🔄 updated" in plain(message)


@given(
    st.text(max_size=300),
    st.text(max_size=600),
    st.text(max_size=200),
)
@settings(max_examples=200, deadline=None)
def test_any_article_text_renders_to_html_telegram_accepts(headline, sentence, said):
    quote = BriefingQuote(said or "x", "Speaker <&>", "Speaker", "Out<let>", "https://e.example/?a=<b>", 1)
    messages = render.render_briefing(briefing(story(1, headline=headline or "h", summary=(sentence,), quote=quote)))
    for message in messages:
        text = plain(message)
        assert 0 < len(text.encode("utf-16-le")) // 2 <= render.MESSAGE_LIMIT


def test_a_quote_several_outlets_carry_says_so():
    quote = BriefingQuote("It is overdue", "Mayor Elena Marsh", "Elena Marsh", "Harbour Herald", None, 1, outlets=3)
    [message] = render.render_briefing(briefing(story(1, quote=quote)))
    assert "“It is overdue” — Mayor Elena Marsh · quoted by 3 outlets" in plain(message)
