from __future__ import annotations

import asyncio
from datetime import time

from bot.store import chat_searches, get_subscriber, subscriptions
from handlers.permissions import REFUSAL
from bot.schedule import parse_time
from tests.handlers.harness import live_bot, replies


def test_parse_time_reads_what_people_type():
    assert parse_time("07:30") == time(7, 30)
    assert parse_time("7") == time(7, 0)
    assert parse_time("7.05") == time(7, 5)
    assert parse_time("7pm") == time(19, 0)
    assert parse_time("12am") == time(0, 0)
    assert parse_time("19h05") == time(19, 5)
    assert parse_time("25:00") is None
    assert parse_time("13pm") is None
    assert parse_time("soon") is None


async def test_subscribe_then_list_then_unsubscribe(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [subscribed] = await chat.command("subscribe", "syria")
        [turkey] = await chat.command("subscribe", "Türkiye")
        [listed] = await chat.command("subscriptions")
        [left] = await chat.command("unsubscribe", "syria")
        remaining = subscriptions(bot.store, chat.chat_id)
    assert subscribed.text.startswith("☀️ You'll get Syria every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC).")
    assert turkey.text.startswith("☀️ You'll get Turkey every day")
    assert listed.text.startswith("☀️ Every morning: Syria, Turkey, every day at 07:00 (UTC)")
    assert left.text == "Done: no more Syria in the morning. You still get: Turkey."
    assert remaining == ["turkey"]


async def test_an_unknown_topic_to_subscribe_suggests_close_ones(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().command("subscribe", "sirya")
    assert reply.text.startswith("I don't know the topic “sirya”. Did you mean /subscribe syria")


async def test_time_and_timezone_change_the_schedule(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "economy")
        [timed] = await chat.command("time", "06:45")
        [zoned] = await chat.command("timezone", "berlin")
        [weekdays] = await chat.command("time", "weekdays")
        [bad_time] = await chat.command("time", "25:99")
        [bad_zone] = await chat.command("timezone", "Mars/Olympus")
        [offset] = await chat.command("timezone", "UTC+5:45")
        subscriber = get_subscriber(bot.store, chat.chat_id)
    assert timed.text.startswith("⏰ Your briefing now comes every day at 06:45 (UTC)")
    assert zoned.text.startswith("🌍 Time zone set to Europe/Berlin: your briefing comes every day at 06:45 (Europe/Berlin); next: ")
    assert weekdays.text.startswith("⏰ Your briefing now comes weekdays at 06:45 (Europe/Berlin)")
    assert bad_time.text == "I can't read “25:99” as a time. Use HH:MM, e.g. /time 07:30."
    assert bad_zone.text.startswith("I don't know the time zone “Mars/Olympus”.")
    assert offset.text.startswith("🌍 Time zone set to UTC+05:45")
    assert "daylight" in offset.text
    assert subscriber is not None
    assert (subscriber.briefing_time, subscriber.timezone, subscriber.days) == (time(6, 45), "UTC+05:45", "12345")


async def test_timezone_est_warns_that_it_keeps_no_daylight_saving(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "economy")
        [fixed] = await chat.command("timezone", "EST")
        stored = get_subscriber(bot.store, chat.chat_id).timezone
        [rule] = await chat.command("timezone", "EST5EDT")
        followed = get_subscriber(bot.store, chat.chat_id).timezone
    assert fixed.text.startswith("🌍 Time zone set to EST: your briefing comes every day at 07:00 (EST); next: ")
    assert fixed.text.endswith(
        "\nEST (UTC-05:00) is a fixed offset: it does not follow daylight-saving time changes. "
        "For US Eastern time, which moves to EDT in summer, send /timezone America/New_York."
    )
    assert rule.text.startswith("🌍 Time zone set to America/New_York: your briefing comes every day at 07:00 (America/New_York)")
    assert rule.text.endswith("\nEST5EDT is a legacy US rule for Eastern time; set to America/New_York, which keeps the same clock and daylight-saving changes.")
    assert (stored, followed) == ("EST", "America/New_York")


async def test_settings_then_stop_forgets_everything(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [nothing] = await chat.command("settings")
        briefing = await chat.command("syria")
        await chat.command("subscribe", "syria")
        await chat.command("subscribe", "grain exports")
        [shown] = await chat.command("settings")
        [asked] = await chat.command("stop")
        kept = get_subscriber(bot.store, chat.chat_id)
        [stopped] = await chat.press(asked, "🗑 Yes, delete it all")
        [again] = await chat.command("stop")
        gone = get_subscriber(bot.store, chat.chat_id)
        searches = chat_searches(bot.store, chat.chat_id)
    assert nothing.text.startswith("I keep nothing about this chat yet.")
    assert briefing
    assert shown.text.split("\n")[:6] == [
        "Settings",
        "Morning topics: Syria",
        "Saved searches: “grain exports”",
        "Time: 07:00 · time zone: UTC · days: every day",
        "Pushes: on",
        "Next push: tomorrow at 07:00 (UTC)",  # the bot's clock says Friday 09:00 UTC
    ]
    assert asked.text.startswith("This deletes everything I keep about this chat")
    assert asked.button_texts == ["🗑 Yes, delete it all", "Keep everything"]
    assert kept is not None
    assert stopped.text.startswith("🗑 Done: I deleted everything I kept about this chat")
    assert again.text == "I kept nothing about this chat, so there is nothing to delete."
    assert gone is None
    assert searches == []


async def test_stop_also_forgets_which_stories_were_sent(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("syria")
        [asked] = await chat.command("stop")
        await chat.press(asked, "🗑 Yes, delete it all")
        replies = await chat.command("syria")
    assert replies[0].text.startswith("Syria · 2 stories")


async def test_a_bare_subscribe_offers_topic_buttons(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [ask] = await chat.command("subscribe")
        notice = await chat.press_silently(ask, "Climate")
        topics = subscriptions(bot.store, chat.chat_id)
    assert ask.text.startswith("Which topic every morning?")
    assert notice.startswith("Climate every morning: ")
    assert topics == ["climate"]


async def test_stop_asked_and_kept_deletes_nothing(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "syria")
        [asked] = await chat.command("stop")
        [kept] = await chat.press(asked, "Keep everything")
        subscriber = get_subscriber(bot.store, chat.chat_id)
        question = bot.server.messages(chat.chat_id)[-2]
    assert kept.text == "Kept: nothing was deleted."
    assert subscriber is not None and subscriber.topics == ("syria",)
    assert question.button_texts == []


async def test_in_a_group_only_its_administrators_change_the_morning_briefing(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [owner, member])

        async def command(user: object, name: str, args: str = "") -> list[object]:
            last = bot.server.last_message(group)
            bot.server.send_command(group, name, args, user=user, mention=True)
            return await replies(bot.server, group, last.message_id if last else None)

        [subscribed] = await command(owner, "subscribe", "syria")
        refused = [await command(member, name, args) for name, args in
                   (("unsubscribe", "syria"), ("time", "06:00"), ("timezone", "Europe/Berlin"), ("stop", ""), ("subscribe", "turkey"))]
        [shown] = await command(member, "settings")
        subscriber = get_subscriber(bot.store, group)
    assert subscribed.text.startswith("☀️ You'll get Syria")
    assert [[reply.text for reply in answer] for answer in refused] == [[REFUSAL]] * 5
    assert shown.text.split("\n")[1] == "Morning topics: Syria"
    assert (subscriber.topics, subscriber.briefing_time, subscriber.timezone) == (("syria",), time(7, 0), "UTC")


async def test_a_group_member_pressing_every_morning_is_told_only_administrators_can(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [owner, member])
        last = bot.server.last_message(group)
        bot.server.send_command(group, "syria", user=owner, mention=True)
        [briefing] = await replies(bot.server, group, last.message_id if last else None)
        query = bot.server.press_button(group, briefing.message_id, "☀️ Every morning", user=member)
        answer = await asyncio.to_thread(bot.server.wait_for_callback_answer, query, 10.0)
        topics = subscriptions(bot.store, group)
    assert answer.text == REFUSAL
    assert topics == []
