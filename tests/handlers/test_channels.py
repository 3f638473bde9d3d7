"""/channel end to end: an administrator links a channel in a private chat, the morning briefing is posted there
at the channel's own time, bad references get clear answers, and a channel that removes the bot stops cleanly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.store import channels_linked_by, deliveries, get_linked_channel, get_subscriber
from handlers.throttle import THROTTLE, Throttle
from tests.handlers.harness import live_bot, replies

# 11:30 in Berlin on the demo's day: 10:30 UTC, after the demo articles.
BERLIN_MORNING = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def person(bot, first_name: str = "Ada"):
    """A user with a private chat: (the chat a test drives, the user the server plays)."""
    chat = bot.chat(first_name)
    return chat, bot.server.state.users[chat.chat_id]


async def test_an_administrator_links_a_channel_and_the_briefing_is_posted_there_at_its_own_time(tmp_path):
    async with live_bot(tmp_path) as bot:
        ada, user = person(bot)
        channel = bot.server.add_channel("Morning Wire", [user], username="morningwire")
        await ada.command("time", "11:30")
        [linked] = await ada.command("channel", "@morningwire syria")
        [zoned] = await ada.command("channel", "@morningwire timezone Europe/Berlin")
        [quiet] = await ada.command("channel", "@morningwire quiet on")
        bot.clock.set(BERLIN_MORNING - timedelta(minutes=1))
        await bot.tick()
        early = bot.server.messages(channel)
        bot.clock.set(BERLIN_MORNING + timedelta(seconds=20))
        await bot.tick()
        await bot.tick()
        posted = bot.server.messages(channel)
        [delivery] = deliveries(bot.store, chat_id=channel)
        subscriber = get_subscriber(bot.store, channel)
        silent = [call.params.get("disable_notification") for call in bot.server.calls("sendMessage", chat_id=channel)]
    assert linked.text == (
        "📢 @morningwire gets Syria every day at 11:30 (UTC); next: today at 11:30 (UTC).\n"
        "Change it with /channel @morningwire time 7:30 or /channel @morningwire timezone Europe/Berlin; "
        "/channel @morningwire off stops it."
    )
    assert zoned.text == "🌍 @morningwire is on Europe/Berlin: its briefing comes every day at 11:30 (Europe/Berlin); next: today at 11:30 (Europe/Berlin)."
    assert quiet.text == "@morningwire gets its morning briefing without sound."
    assert (subscriber.chat_type, subscriber.title, subscriber.topics) == ("channel", "Morning Wire", ("syria",))
    assert silent == [True] * len(posted)
    assert early == []
    assert posted[0].text.split("\n")[0] == "Syria · 2 stories from the last 24 hours"
    assert [message.reply_markup for message in posted] == [None] * len(posted)
    assert (delivery.status, list(delivery.message_ids)) == ("sent", [message.message_id for message in posted])


async def test_what_is_not_a_channel_the_bot_may_post_in_for_this_administrator_gets_a_clear_answer(tmp_path):
    async with live_bot(tmp_path) as bot:
        ada, user = person(bot)
        grace, grace_user = person(bot, "Grace")
        bot.server.add_channel("Morning Wire", [user], username="morningwire")
        bot.server.add_channel("Read Only", [user], username="readonly", bot_can_post=False)
        bot.server.add_channel("Elsewhere", [user], username="elsewhere", bot_status="left")
        group = bot.server.add_group("Newsroom", [user, grace_user], supergroup=True, username="newsroom")
        answers = [
            (await ada.command("channel", args))[0].text
            for args in ("hello syria", "@nosuchchannel syria", "-1009999999999 syria", "@newsroom syria", "@elsewhere syria",
                         "@readonly syria", "@morningwire narnia", "@morningwire time 7:30")
        ]
        [not_admin] = await grace.command("channel", "@morningwire syria")
        bot.server.send_command(group, "channel", "@morningwire syria", user=user, mention=True)
        [in_group] = await replies(bot.server, group, None)
        linked = channels_linked_by(bot.store, user.id) + channels_linked_by(bot.store, grace_user.id)
    username = bot.server.bot.username
    assert [answer.split("\n")[0] for answer in answers] == [
        "“hello” is not a channel: give its @name or its id (-100…).",
        "I can't find the channel @nosuchchannel. Check its @name; a private channel is found by its id once I am in it, "
        "so add me to the channel as an administrator first.",
        "I can't find the channel -1009999999999. Check its @name; a private channel is found by its id once I am in it, "
        "so add me to the channel as an administrator first.",
        f"@newsroom is a group, not a channel. In a group, its administrators send /subscribe topic there "
        f"(mentioning me: /subscribe@{username} syria).",
        "I am not in @elsewhere: add me to the channel as an administrator who may post messages, then send this again.",
        "I am in @readonly but may not post there: give me the right “Post messages” (the channel's Administrators, then me), "
        "then send this again.",
        "I don't know the topic “narnia”; nothing was changed. Did you mean usa, syria?",
        "Link @morningwire first, with its topics: /channel @morningwire syria.",
    ]
    assert not_admin.text == "Only @morningwire's administrators can link it to a morning briefing, and you are not one of them."
    assert in_group.text == "Channels are linked in a private chat with me: open it and send /channel @yourchannel topic."
    assert linked == []


async def test_a_channel_that_takes_the_right_to_post_stops_and_its_linker_is_told_once(tmp_path):
    async with live_bot(tmp_path) as bot:
        ada, user = person(bot)
        channel = bot.server.add_channel("Morning Wire", [user], username="morningwire")
        await ada.command("channel", "@morningwire syria")
        after = bot.server.last_message(ada.chat_id).message_id
        bot.server.set_bot_member(channel, "administrator", can_post_messages=False, by=user)
        [told] = await replies(bot.server, ada.chat_id, after)
        stopped = get_subscriber(bot.store, channel)
        bot.server.set_bot_member(channel, "left", by=user)
        await bot.server.wait_for_async(lambda: get_subscriber(bot.store, channel).deactivated_reason == "I was removed from the channel")
        await asyncio.sleep(0.5)
        after_removal = bot.server.messages(ada.chat_id)
        bot.clock.set(datetime(2026, 11, 21, 7, 0, 20, tzinfo=UTC))
        await bot.tick()
        pushed = deliveries(bot.store, chat_id=channel)
        bot.server.set_bot_member(channel, "administrator", by=user)
        await bot.server.wait_for_async(lambda: get_subscriber(bot.store, channel).active)
        again = get_linked_channel(bot.store, channel)
    assert told.text == (
        "📢 I stopped posting the morning briefing in @morningwire: I may no longer post messages in the channel.\n"
        "Make me an administrator of the channel who may post messages, then send /channel @morningwire to start again; "
        "/channel @morningwire off forgets the channel."
    )
    assert (stopped.active, stopped.deactivated_reason) == (False, "I may no longer post messages in the channel")
    assert after_removal[-1].message_id == told.message_id  # told once
    assert pushed == []
    assert (again.stop_told_at, again.subscriber.topics) == (None, ("syria",))


async def test_a_post_refused_because_the_bot_is_gone_deactivates_the_channel_and_tells_its_linker(tmp_path):
    async with live_bot(tmp_path) as bot:
        ada, user = person(bot)
        channel = bot.server.add_channel("Morning Wire", [user], username="morningwire")
        await ada.command("channel", "@morningwire syria")
        after = bot.server.last_message(ada.chat_id).message_id
        bot.server.delete_chat(channel)  # gone without a my_chat_member update: the next post meets a 403
        bot.clock.set(datetime(2026, 11, 21, 7, 0, 20, tzinfo=UTC))
        await bot.tick()
        [told] = await replies(bot.server, ada.chat_id, after)
        bot.clock.set(datetime(2026, 11, 22, 7, 0, 20, tzinfo=UTC))
        await bot.tick()
        await asyncio.sleep(0.5)
        later = bot.server.messages(ada.chat_id)
        subscriber = get_subscriber(bot.store, channel)
        [delivery] = deliveries(bot.store, chat_id=channel)
    assert told.text.split("\n")[0] == (
        "📢 I stopped posting the morning briefing in @morningwire: "
        "Telegram answered “Forbidden: bot is not a member of the channel chat”."
    )
    assert later[-1].message_id == told.message_id
    assert (subscriber.active, delivery.status) == (False, "failed")


async def test_a_user_lists_changes_and_unlinks_their_channels_even_after_the_bot_was_removed(tmp_path):
    async with live_bot(tmp_path) as bot:
        bot.application.bot_data[THROTTLE] = Throttle(burst=50)  # more commands than the flood throttle lets through
        ada, user = person(bot)
        first = bot.server.add_channel("Morning Wire", [user], username="morningwire")
        second = bot.server.add_channel("Private Desk", [user])
        [none] = await ada.command("channel")
        await ada.command("channel", "@morningwire syria, turkey")
        await ada.command("channel", f"{second} economy")
        [timed] = await ada.command("channel", "@morningwire time 6:45")
        [days] = await ada.command("channel", "@morningwire time weekdays")
        [listed] = await ada.command("channel")
        [replaced] = await ada.command("channel", "@morningwire economy")
        bot.server.set_bot_member(first, "left", by=user)
        await bot.server.wait_for_async(lambda: not get_subscriber(bot.store, first).active)
        [off] = await ada.command("channel", "@MorningWire off")
        [gone] = await ada.command("channel", "@morningwire off")
        remaining = [(c.channel_id, c.subscriber.topics) for c in channels_linked_by(bot.store, user.id)]
        first_row = get_subscriber(bot.store, first)
    assert none.text.split("\n")[0] == "You have linked no channel yet."
    assert timed.text == "⏰ @morningwire now gets its briefing every day at 06:45 (UTC); next: tomorrow at 06:45 (UTC)."
    assert days.text == "⏰ @morningwire now gets its briefing weekdays at 06:45 (UTC); next: on Monday at 06:45 (UTC)."
    assert listed.text.split("\n")[:3] == [
        "Your channels",
        "📢 @morningwire: Syria, Turkey, weekdays at 06:45 (UTC); next: on Monday at 06:45 (UTC)",
        "📢 Private Desk: Economy, every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC)",
    ]
    assert replaced.text.startswith("📢 @morningwire gets Economy weekdays at 06:45 (UTC)")
    assert off.text == "Done: no more morning briefings in @morningwire, and I forgot its settings. You can remove me from the channel."
    assert gone.text == "I am not in @morningwire: add me to the channel as an administrator who may post messages, then send this again."
    assert remaining == [(second, ("economy",))]
    assert first_row is None
