"""The flood throttle: people counted apart in a group, a group-wide backstop, a repeated button press not counted."""

from __future__ import annotations

import asyncio

from bot.store import get_subscriber, subscribe
from handlers.throttle import THROTTLE, Throttle
from tests.handlers.harness import live_bot, replies

GROUP = -1002000000001


def test_in_a_group_each_person_has_a_budget_and_the_group_a_backstop():
    now = [0.0]
    throttle = Throttle(burst=3, window=10.0, chat_burst=5, clock=lambda: now[0])
    ada = [throttle.check(GROUP, 1) for _ in range(5)]
    grace = [throttle.check(GROUP, 2) for _ in range(3)]
    cy = [throttle.check(GROUP, 3) for _ in range(2)]
    now[0] = 10.5
    later = [throttle.check(GROUP, 1), throttle.check(GROUP, 3)]
    assert ada == ["ok", "ok", "ok", "warn", "drop"]
    assert grace == ["ok", "ok", "warn_chat"]  # 3 + 2 = the group's 5
    assert cy == ["drop", "drop"]  # the group was warned once in this window
    assert later == ["ok", "ok"]


def test_a_button_pressed_again_within_the_window_is_a_repeat_and_costs_nothing():
    now = [0.0]
    throttle = Throttle(burst=2, window=10.0, repeat_window=3.0, clock=lambda: now[0])
    presses = [throttle.check(7, press=(5, "more:1")) for _ in range(4)]
    other = [throttle.check(7, press=(5, "more:2")), throttle.check(7)]
    now[0] = 2.5
    still = throttle.check(7, press=(5, "more:1"))
    now[0] = 3.5
    again = throttle.check(7, press=(5, "more:1"))
    assert still == "repeat"
    assert presses == ["ok", "repeat", "repeat", "repeat"]
    assert other == ["ok", "warn"]  # the repeats left the second of two for another button
    assert again == "drop"  # pressed again later it is a new request, over the budget of 2 (already warned)


def test_the_same_button_pressed_by_two_people_in_a_group_is_two_presses():
    throttle = Throttle(clock=lambda: 0.0)
    assert [throttle.check(GROUP, 1, press=(5, "subscribe:syria")), throttle.check(GROUP, 2, press=(5, "subscribe:syria"))] == ["ok", "ok"]


async def test_one_person_flooding_a_group_does_not_silence_the_others(tmp_path):
    async with live_bot(tmp_path) as bot:
        bot.application.bot_data[THROTTLE] = Throttle(window=600.0)  # a window no slow machine outlasts
        ada, grace = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [ada, grace], supergroup=True)
        for _ in range(12):
            bot.server.send_command(group, "help", user=ada, mention=True)
        await bot.server.wait_for_messages_async(group, 9, 10.0)
        await asyncio.sleep(0.5)
        flooded = len(bot.server.messages(group))
        bot.server.send_command(group, "topics", user=grace, mention=True)
        answered = await replies(bot.server, group, bot.server.last_message(group).message_id)
        texts = [message.text for message in bot.server.messages(group)]
    assert flooded == 9  # eight answers and one warning to Ada
    assert texts.count("Slow down a little, Ada: I'll answer you again in 600 seconds.") == 1
    assert answered[0].text.startswith("Topics (articles in the last 7 days)\n/syria — Syria (3)")


async def test_a_repeated_button_press_does_not_use_up_the_budget(tmp_path):
    async with live_bot(tmp_path) as bot:
        bot.application.bot_data[THROTTLE] = Throttle(window=600.0, repeat_window=600.0)
        chat = bot.chat()
        [briefing] = await chat.command("syria")
        [detail] = await chat.press(briefing, "1 ›")
        repeats = [bot.server.press_button(chat.chat_id, briefing.message_id, "1 ›") for _ in range(10)]
        answers = [await asyncio.to_thread(bot.server.wait_for_callback_answer, query, 10.0) for query in repeats]
        after_presses = len(bot.server.messages(chat.chat_id))
        helped = [await chat.command("help") for _ in range(6)]  # 2 used + 6 = the budget of 8
        [warned] = await chat.command("help")
    assert after_presses == 2  # the briefing and one story, however often the button was pressed
    assert [answer.text for answer in answers] == [None] * 10
    assert [len(reply) for reply in helped] == [1] * 6
    assert [reply[0].text.startswith("newsbrief briefs you") for reply in helped] == [True] * 6
    assert warned.text == "Slow down a little: I'll answer again in 600 seconds."


async def test_the_bot_removed_from_a_flooded_group_is_never_throttled(tmp_path):
    async with live_bot(tmp_path) as bot:
        bot.application.bot_data[THROTTLE] = Throttle(window=600.0, chat_burst=8)
        ada = bot.server.add_user("Ada")
        group = bot.server.add_group("Newsroom", [ada], supergroup=True)
        subscribe(bot.store, group, "syria")
        for _ in range(10):
            bot.server.send_command(group, "help", user=ada, mention=True)
        await bot.server.wait_for_messages_async(group, 9, 10.0)
        bot.server.kick_bot(group, by=ada)
        await bot.server.wait_for_async(lambda: not get_subscriber(bot.store, group).active)
        subscriber = get_subscriber(bot.store, group)
    assert subscriber.deactivated_reason == "bot kicked in chat"
