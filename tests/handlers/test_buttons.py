from __future__ import annotations

from bot.store import get_subscriber
from handlers.keyboards import CALLBACK_LIMIT, callback, parse_callback
from tests.handlers.harness import live_bot


def test_callback_data_round_trips_and_stays_under_64_bytes():
    data = callback("page", "?12", 3)
    assert data == "p|?12|3"
    assert parse_callback(data).action == "page"
    assert parse_callback(data).args == ("?12", "3")
    assert parse_callback("zz|1") is None
    assert parse_callback("") is None
    try:
        callback("subscribe", "x" * CALLBACK_LIMIT)
    except ValueError as error:
        assert "over 64 bytes" in str(error)
    else:
        raise AssertionError("over-long callback data was accepted")


async def test_more_on_a_story_then_its_quotes_and_sources(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        briefing = await chat.command("syria")
        [detail] = await chat.press(briefing[0], "1 ›")
        [quotes] = await chat.press(detail, "💬 Quotes")
        [sources] = await chat.press(detail, "📰 Sources")
    # The story's newest article leads, in the briefing and in its details alike.
    assert briefing[0].text.split("\n")[2] == "1. Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"
    assert detail.text.startswith("Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting\n")
    assert "Sources (2)" in detail.text
    assert detail.button_texts == ["💬 Quotes", "📰 Sources", "🔇 Mute story"]
    assert quotes.text.startswith("💬 Quotes: ")
    assert sources.text.split("\n") == [
        "Sources (2)",
        "• Eastern Wire Review: Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting",
        "• Levant Ledger: Turkey and Kurdish-Led Forces Agree to a Three-Day Truce Around Manbij",
    ]


async def test_every_morning_button_subscribes_and_disappears(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        briefing = await chat.command("syria")
        notice = await chat.press_silently(briefing[0], "☀️ Every morning")
        await bot.server.wait_for_async(lambda: "☀️ Every morning" not in bot.server.message(chat.chat_id, briefing[0].message_id).button_texts)
        subscriber = get_subscriber(bot.store, chat.chat_id)
    assert notice.startswith("Syria every morning: every day at 07:00 (UTC); next: ")
    assert subscriber is not None and subscriber.topics == ("syria",)


async def test_next_page_of_a_long_briefing(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        first = await chat.command("latest")
        assert "Next page ›" in first[-1].button_texts
        second = await chat.press(first[-1], "Next page ›")
    assert "· page 2 of" in second[0].text.split("\n")[0]
    assert second[0].text.split("\n")[2].startswith("6. ")


async def test_an_old_button_after_the_data_changed_gets_a_clear_answer(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        briefing = await chat.command("syria")
        gone = await chat.press_silently(briefing[0], "m|999999", stale=True)
        foreign = await chat.press_silently(briefing[0], "nonsense", stale=True)
    assert gone == "That story is no longer available."
    assert foreign == "This button has expired. Send the command again for a fresh briefing."


async def test_topic_buttons_under_start_brief_that_topic(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [start] = await chat.command("start")
        replies = await chat.press(start, "Turkey")
    assert replies[0].text.startswith("Turkey · ")
