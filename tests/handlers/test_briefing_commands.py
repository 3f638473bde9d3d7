from __future__ import annotations

from tests.handlers.harness import live_bot


async def test_start_says_what_the_bot_does_and_offers_topics(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [reply] = await chat.command("start")
    assert reply.text.startswith("👋 newsbrief gives you news briefings")
    assert "Syria" in reply.button_texts


async def test_a_topic_command_answers_with_a_briefing(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        replies = await chat.command("syria")
    text = replies[0].text
    print(text)
    assert text.startswith("Syria · ")
    assert replies[-1].reply_markup is not None
