"""Inline mode end to end: `@bot words` from a user over the loopback Bot API, the real Application answering."""

from __future__ import annotations

import pytest

import handlers.inline as inline_module
from bot.store import delete_articles, latest_articles
from handlers.services import SERVICES
from telegram_loopback import InlineAnswer
from tests.handlers.harness import LiveBot, live_bot, replies

TRUCE = "Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"
CONVOY = "First Aid Convoy in a Month Reaches Aleppo's Old City"


async def ask(bot: LiveBot, query: str, user_name: str = "Ada") -> InlineAnswer:
    """A user types `@bot query`; the bot's answer."""
    user = bot.server.add_user(user_name)
    query_id = bot.server.send_inline_query(user, query)
    return await bot.server.wait_for_inline_answer_async(query_id, 10.0)


def titles(answer: InlineAnswer) -> list[str]:
    return [result["title"] for result in answer.results]


def headlines(messages) -> list[str]:
    """The numbered headlines of a briefing's messages, without their numbers."""
    numbered = [line.split(". ", 1)[1] for message in messages for line in message.text.split("\n") if line[:1].isdigit() and ". " in line[:4]]
    return [line.removesuffix(" 🆕").removesuffix(" 🔄 updated") for line in numbered]


async def test_a_topic_offers_its_stories_each_posted_as_one_html_message(tmp_path) -> None:
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        chat = bot.chat("Bo")
        briefing = await chat.command("syria")
        answer = await ask(bot, "Syria")
    first = answer.results[0]
    content = first["input_message_content"]
    assert titles(answer) == headlines(briefing)
    assert titles(answer)[:2] == [TRUCE, CONVOY]
    assert (answer.cache_time, answer.is_personal, answer.button) == (60, False, None)
    assert first["type"] == "article" and first["id"].lstrip("-").isdigit()
    assert first["description"].endswith(" · 2 outlets")
    assert (content["parse_mode"], content["link_preview_options"]) == ("HTML", {"is_disabled": True})
    paragraphs = content["text"].split("\n\n")
    assert paragraphs[0] == TRUCE
    assert paragraphs[-1] == "📰 Reported by 2 outlets: Eastern Wire Review, Levant Ledger"
    assert content["message_text"].startswith(f"<b>{TRUCE}</b>\n\n")
    assert "<blockquote>“" in content["message_text"]
    assert {"type": "bold", "offset": 0, "length": len(TRUCE)} in content["entities"]


async def test_a_chosen_story_is_posted_via_the_bot_and_the_bot_does_not_answer_it(tmp_path) -> None:
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        ada = bot.server.add_user("Ada")
        group = bot.server.add_group("Newsroom", [ada])
        query_id = bot.server.send_inline_query(ada, "syria")
        answer = await bot.server.wait_for_inline_answer_async(query_id, 10.0)
        in_group = bot.server.choose_inline_result(group, query_id, answer.results[1]["id"])
        in_own_chat = bot.server.choose_inline_result(ada.id, query_id, answer.results[0]["id"])
        # Whatever the bot would do about the message in its own chat, it has done within the settle time.
        after = await replies(bot.server, ada.id, in_own_chat.message_id, count=0)
    assert (in_group.text.split("\n\n")[0], in_group.via_bot.id, in_group.sender.id) == (CONVOY, bot.server.bot.id, ada.id)
    assert in_own_chat.text.split("\n\n")[0] == TRUCE
    assert in_own_chat.link_preview_options == {"is_disabled": True}
    assert after == []


async def test_any_words_search_as_brief_does_and_no_words_offer_the_latest(tmp_path) -> None:
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        # Two readers, so that neither briefing leaves out or reorders what the other was sent.
        brief = await bot.chat("Bo").command("brief", "aid convoy")
        latest = await bot.chat("Cy").command("latest")
        searched = await ask(bot, "  Aid   CONVOY ")
        empty = await ask(bot, "")
    assert titles(searched) == headlines(brief)
    assert CONVOY in titles(searched)
    # /latest shows a page of 5; inline offers every story of the same briefing.
    assert titles(empty)[:5] == headlines(latest)[:5]
    assert len(titles(empty)) > 5


@pytest.mark.parametrize(
    ("query", "button"),
    [
        ("the of and", "“the of and” is only common words: open the bot"),
        ("🙂🔥🏈", "“🙂🔥🏈” has no words to search: open the bot"),
        ("zzyzx " * 42 + "zzyz", "No stories on “zzyzx zzyzx zzyzx zzyzx zzyzx zzyzx…”: open the bot"),
        ('"AND" OR * -NEAR( ^', "“\"AND\" OR * -NEAR( ^” is only common words: open the bot"),
        ('zzyzx* "qqq -( ^', "No stories on “zzyzx* \"qqq -( ^”: open the bot"),
    ],
)
async def test_a_query_that_finds_nothing_gets_a_button_to_open_the_bot(tmp_path, query: str, button: str) -> None:
    assert len(query) <= 256
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        answer = await ask(bot, query)
    assert answer.results == []
    assert answer.button == {"text": button, "start_parameter": "inline"}


async def test_a_256_character_query_of_real_words_is_answered(tmp_path) -> None:
    query = ("truce manbij aid convoy aleppo " * 9)[:256]
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        answer = await ask(bot, query)
    assert len(query) == 256
    assert 0 < len(answer.results) <= 50
    assert TRUCE in titles(answer)


async def test_answers_are_cached_per_normalised_query_for_a_minute(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(inline_module, "monotonic", lambda: clock[0])
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        first = await ask(bot, "syria")
        delete_articles(bot.store, [article.id for article in latest_articles(bot.store, limit=1000)])
        clock[0] += 59
        cached = await ask(bot, "  SYRIA ", "Bo")
        clock[0] += 2
        fresh = await ask(bot, "syria", "Cy")
        kept = list(bot.application.bot_data[SERVICES].inline_answers)
    assert titles(first)[:2] == [TRUCE, CONVOY]
    assert titles(cached) == titles(first)
    assert fresh.results == []
    assert kept == ["en:syria"]  # keyed by the querier's language too


async def test_a_chats_mutes_do_not_apply_to_inline_results(tmp_path) -> None:
    async with live_bot(tmp_path) as bot:
        bot.server.enable_inline_mode()
        chat = bot.chat("Ada")
        await chat.command("mute", "Manbij")
        muted_briefing = await chat.command("syria")
        user = bot.server.state.users[chat.chat_id]
        query_id = bot.server.send_inline_query(user, "syria")
        answer = await bot.server.wait_for_inline_answer_async(query_id, 10.0)
    assert TRUCE not in headlines(muted_briefing)
    assert TRUCE in titles(answer)


async def test_help_tells_of_inline_mode_only_when_it_is_on(tmp_path) -> None:
    (tmp_path / "off").mkdir()
    async with live_bot(tmp_path / "off") as bot:
        [without] = await bot.chat().command("help")
    async with live_bot(tmp_path, inline_mode=True) as bot:
        [with_inline] = await bot.chat().command("help")
    assert "In any chat" not in without.text
    assert with_inline.text.endswith(
        "In any chat\n@newsbrief_test_bot topic or words — pick a story to post there, e.g. @newsbrief_test_bot syria"
    )
