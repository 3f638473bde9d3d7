"""A group's settings belong to its administrators: the buttons and commands no other test refuses to a member."""

from __future__ import annotations

import asyncio

from bot.store import chat_mutes, get_subscriber
from handlers.keyboards import FORGET, MUTE_STORY, callback
from handlers.permissions import REFUSAL
from tests.handlers.harness import live_bot, replies


async def test_a_member_is_refused_the_stop_button_mute_story_show_all_again_and_days(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [owner, member])

        async def command(user: object, name: str, args: str = "") -> list[object]:
            last = bot.server.last_message(group)
            bot.server.send_command(group, name, args, user=user, mention=True)
            return await replies(bot.server, group, last.message_id if last else None)

        async def press(user: object, message: object, button: str, *, check: bool = True) -> str | None:
            query = bot.server.press_button(group, message.message_id, button, user=user, check=check)
            return (await asyncio.to_thread(bot.server.wait_for_callback_answer, query, 10.0)).text

        await command(owner, "subscribe", "syria")
        [question] = await command(owner, "stop")
        refused_stop = await press(member, question, FORGET)
        [briefing] = await command(owner, "syria")
        last = bot.server.last_message(group).message_id
        bot.server.press_button(group, briefing.message_id, "1 ›", user=member)  # reading a story is anyone's
        detail = (await replies(bot.server, group, last))[0]
        refused_mute = await press(member, detail, MUTE_STORY)
        muted_by_member = chat_mutes(bot.store, group)
        await press(owner, detail, MUTE_STORY)
        [listed] = await command(member, "mutes")
        refused_show_all = await press(member, listed, callback("unhide_all", "all"), check=False)
        [refused_days] = await command(member, "time", "weekdays")
        subscriber = get_subscriber(bot.store, group)
        kept_mutes = [mute.story_id is not None for mute in chat_mutes(bot.store, group)]
        question_now = bot.server.message(group, question.message_id)
    assert [refused_stop, refused_mute, refused_show_all, refused_days.text] == [REFUSAL] * 4
    assert muted_by_member == []
    assert (subscriber.topics, subscriber.days) == (("syria",), "1234567")
    assert kept_mutes == [True]
    assert question_now.button_texts == [FORGET, "Keep everything"]  # still there for an administrator
