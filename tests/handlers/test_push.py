from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.store import deliveries, get_subscriber, subscribe, update_subscriber
from tests.handlers.harness import NOW, live_bot

# The demo articles are of the day before NOW; a 10:00 briefing covers them.
MORNING = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def subscribed(
    bot, chat_id: int, *topics: str, at: time = time(10, 0), zone: str = "UTC", days: str = "1234567", since: datetime = NOW
) -> None:
    for topic in topics:
        subscribe(bot.store, chat_id, topic, now=since)
    update_subscriber(bot.store, chat_id, briefing_time=at, timezone=zone, days=days)


async def test_the_briefing_goes_out_at_the_subscriber_time_once(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria", "economy")
        bot.clock.set(MORNING - timedelta(minutes=1))
        await bot.tick()
        early = bot.server.messages(chat.chat_id)
        bot.clock.set(MORNING + timedelta(seconds=20))
        await bot.tick()
        await bot.tick()
        bot.clock.set(MORNING + timedelta(hours=1))
        await bot.tick()
        sent = bot.server.messages(chat.chat_id)
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id)
    assert early == []
    headers = [message.text.split("\n")[0] for message in sent if " · " in message.text.split("\n")[0]]
    # One briefing per topic, in the order of the chat's topics.
    assert headers == ["Economy · 1 story from the last 24 hours", "Syria · 2 stories from the last 24 hours"]
    assert delivery.status == "sent"
    assert list(delivery.message_ids) == [message.message_id for message in sent]


async def test_the_next_morning_brings_only_what_is_new(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria")
        bot.clock.set(MORNING)
        await bot.tick()
        first = len(bot.server.messages(chat.chat_id))
        bot.clock.set(MORNING + timedelta(days=1))
        await bot.tick()
        second = bot.server.messages(chat.chat_id)[first:]
    assert [message.text for message in second] == ["☀️ Good morning. No news on Syria in the last 24 hours."]


async def test_a_push_missed_during_downtime_goes_out_within_the_grace_period(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria")
        bot.clock.set(MORNING + timedelta(hours=2, minutes=30))  # the bot was down from 06:00 to 09:30
        await bot.tick()
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id)
    assert delivery.status == "sent"
    assert bot.server.messages(chat.chat_id)[0].text.startswith("Syria · ")


async def test_a_push_later_than_the_grace_period_is_skipped_and_logged(tmp_path, caplog):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria")
        bot.clock.set(MORNING - timedelta(minutes=5))
        await bot.tick()  # the bot ran before the briefing was due, then went down
        bot.clock.set(MORNING + timedelta(hours=3, minutes=30))
        await bot.tick()
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id)
    assert delivery.status == "skipped"
    assert delivery.error.startswith("missed: due 2026-11-20 10:00 UTC")
    assert bot.server.messages(chat.chat_id) == []
    assert "skipped the briefing of chat" in caplog.text


async def test_weekdays_only_subscribers_get_no_saturday_push(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria", days="12345")
        bot.clock.set(datetime(2026, 11, 21, 10, 1, tzinfo=UTC))  # a Saturday
        await bot.tick()
    assert bot.server.messages(chat.chat_id) == []


async def test_spring_forward_in_berlin_still_gets_its_0230_push_once(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria", at=time(2, 30), zone="Europe/Berlin", since=datetime(2026, 3, 1, tzinfo=UTC))
        # 29 March 2026: clocks jump from 02:00 to 03:00 (01:00 UTC); 02:30 does not exist.
        bot.clock.set(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
        await bot.tick()
        nothing_yet = bot.server.messages(chat.chat_id)
        for minute in range(0, 180, 30):
            bot.clock.set(datetime(2026, 3, 29, 1, 0, tzinfo=UTC) + timedelta(minutes=minute))
            await bot.tick()
        sent = deliveries(bot.store, chat_id=chat.chat_id, local_date=date(2026, 3, 29))
    assert nothing_yet == []
    assert [(d.due_at.replace(tzinfo=UTC), d.status) for d in sent] == [(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "sent")]


async def test_fall_back_in_new_york_sends_0130_once_not_twice(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria", at=time(1, 30), zone="America/New_York", since=datetime(2026, 10, 1, tzinfo=UTC))
        # 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
        for minute in range(0, 150, 15):
            bot.clock.set(datetime(2026, 11, 1, 5, 0, tzinfo=UTC) + timedelta(minutes=minute))
            await bot.tick()
        sent = deliveries(bot.store, chat_id=chat.chat_id, local_date=date(2026, 11, 1))
    assert [(d.due_at.replace(tzinfo=UTC), d.status) for d in sent] == [(datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "sent")]


async def test_a_chat_that_blocked_the_bot_is_deactivated_not_retried(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria")
        bot.server.block(chat.chat_id)
        await bot.server.wait_for_async(lambda: not get_subscriber(bot.store, chat.chat_id).active)
        update_subscriber(bot.store, chat.chat_id, active=True)  # as if the block came unnoticed
        bot.clock.set(MORNING)
        await bot.tick()
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id)
        subscriber = get_subscriber(bot.store, chat.chat_id)
    assert delivery.status == "failed"
    assert "blocked" in delivery.error
    assert not subscriber.active


async def test_a_group_that_became_a_supergroup_keeps_its_subscription(tmp_path):
    async with live_bot(tmp_path) as bot:
        member = bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [member])
        subscribed(bot, group, "syria")
        new_id = bot.server.migrate_group(group)
        bot.clock.set(MORNING)
        await bot.tick()
        moved = get_subscriber(bot.store, new_id)
        old = get_subscriber(bot.store, group)
        texts = [message.text for message in bot.server.messages(new_id)]
    assert moved is not None and moved.topics == ("syria",)
    assert old is None
    assert texts[0].startswith("Syria · ")


async def test_telegram_errors_for_a_while_slow_the_push_but_it_finishes(tmp_path):
    async with live_bot(tmp_path) as bot:
        chats = [bot.chat(f"Reader {n}") for n in range(3)]
        for chat in chats:
            subscribed(bot, chat.chat_id, "syria")
        bot.server.faults.fail_next(2, status=500, methods=["sendMessage"])
        bot.server.faults.fail_next(1, status=429, retry_after=1, methods=["sendMessage"])
        bot.clock.set(MORNING)
        await bot.tick()
        statuses = [d.status for chat in chats for d in deliveries(bot.store, chat_id=chat.chat_id)]
        counts = [len(bot.server.messages(chat.chat_id)) for chat in chats]
    assert statuses == ["sent", "sent", "sent"]
    assert len(set(counts)) == 1 and counts[0] >= 1  # every reader got the same briefing, once


async def test_telegram_timing_out_for_a_while_delays_the_push_but_it_finishes_once(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        subscribed(bot, chat.chat_id, "syria")
        # Telegram holds the first sendMessage past the bot's read timeout and never delivers it.
        bot.server.faults.delay_next(1, seconds=7, deliver=False, methods=["sendMessage"])
        bot.clock.set(MORNING)
        await bot.tick()
        [delivery] = deliveries(bot.store, chat_id=chat.chat_id, local_date=MORNING.date())
        texts = [message.text.split("\n")[0] for message in bot.server.messages(chat.chat_id)]
    assert delivery.status == "sent"
    assert texts == ["Syria · 2 stories from the last 24 hours"]
