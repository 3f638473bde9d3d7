from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.ingest.prepare import prepare
from bot.ingest.read import IncomingArticle
from bot.store import add_article, get_subscriber
from handlers.throttle import Throttle
from tests.handlers.harness import NOW, live_bot


def test_throttle_answers_once_then_drops_until_the_window_passes():
    now = [0.0]
    throttle = Throttle(burst=3, window=10.0, clock=lambda: now[0])
    assert [throttle.check(1) for _ in range(6)] == ["ok", "ok", "ok", "warn", "drop", "drop"]
    assert throttle.check(2) == "ok"  # another chat is not affected
    now[0] = 10.5
    assert throttle.check(1) == "ok"


async def test_a_chat_flooding_the_bot_gets_one_warning(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        for _ in range(20):
            bot.server.send_command(chat.chat_id, "help")
        await bot.server.wait_for_messages_async(chat.chat_id, 9, 10.0)
        await asyncio.sleep(1.0)
        texts = [message.text for message in bot.server.messages(chat.chat_id)]
    assert texts.count("Slow down a little: I'll answer again in 10 seconds.") == 1
    assert len(texts) == 9  # eight answers, one warning, the rest dropped


async def test_a_user_who_blocked_the_bot_is_no_longer_pushed_to(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "syria")
        bot.server.block(chat.chat_id)
        await bot.server.wait_for_async(lambda: not get_subscriber(bot.store, chat.chat_id).active)
        bot.server.send_command(chat.chat_id, "syria")  # the answer meets a 403: logged, nothing breaks
        await asyncio.sleep(0.5)
        bot.server.unblock(chat.chat_id)
        await bot.server.wait_for_async(lambda: get_subscriber(bot.store, chat.chat_id).active)
        [help_reply] = await chat.command("help")
    assert help_reply.text.startswith("newsbrief briefs you on the news")
    assert not bot.server.internal_errors


async def test_html_and_script_in_an_article_reach_the_chat_as_text(tmp_path):
    async with live_bot(tmp_path, demo=False) as bot:
        body = " ".join(
            f"The <b>harbour</b> council & the <script>alert({n})</script> mayor met about the bridge for the {n}th time." for n in range(8)
        )
        incoming = IncomingArticle(
            title="<script>alert('x')</script> Bridge & <i>repair</i>",
            text=body,
            origin="test",
            source="<Herald>",
            url="https://herald.example/a?b=1&c=2",
            published_at=NOW - timedelta(hours=1),
        )
        add_article(bot.store, prepare(incoming, bot.application.bot_data["services"].topics, now=NOW))
        replies = await bot.chat().command("brief", "bridge")
    text = replies[0].text
    assert "1. <script>alert('x')</script> Bridge & <i>repair</i>" in text
    assert "📰 <Herald>" in text
