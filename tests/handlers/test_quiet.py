from __future__ import annotations

from bot.store import get_subscriber, subscribe, update_subscriber
from handlers.permissions import REFUSAL
from tests.handlers.harness import live_bot, replies
from tests.handlers.test_push import MORNING, subscribed


async def test_quiet_on_off_and_alone_says_the_state(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [before] = await chat.command("quiet")
        [on] = await chat.command("quiet", "on")
        quiet = get_subscriber(bot.store, chat.chat_id).quiet
        [state] = await chat.command("quiet")
        [off] = await chat.command("quiet", "off")
        loud = get_subscriber(bot.store, chat.chat_id).quiet
        [wrong] = await chat.command("quiet", "maybe")
    assert before.text == "🔔 The morning briefing comes with the usual notification sound. /quiet on silences it."
    assert on.text == "🔕 The morning briefing comes without sound (a notification, no alert tone)."
    assert quiet is True
    assert state.text == on.text + " /quiet off brings the sound back."
    assert off.text == "🔔 The morning briefing comes with the usual notification sound."
    assert loud is False
    assert wrong.text == "Send /quiet on or /quiet off."


async def test_the_push_of_a_quiet_chat_goes_without_sound_and_others_with_it(tmp_path):
    async with live_bot(tmp_path) as bot:
        quiet, loud = bot.chat("Ada"), bot.chat("Grace")
        subscribed(bot, quiet.chat_id, "syria")
        subscribed(bot, loud.chat_id, "syria")
        update_subscriber(bot.store, quiet.chat_id, quiet=True)
        bot.clock.set(MORNING)
        await bot.tick()
        calls = {chat.chat_id: bot.server.calls("sendMessage", chat_id=chat.chat_id, ok=True) for chat in (quiet, loud)}
    assert len(calls[quiet.chat_id]) == len(calls[loud.chat_id]) >= 1
    assert [call.params.get("disable_notification") for call in calls[quiet.chat_id]] == [True] * len(calls[quiet.chat_id])
    assert [call.params.get("disable_notification") for call in calls[loud.chat_id]] == [None] * len(calls[loud.chat_id])
    assert {str(call.params["link_preview_options"]) for chat in calls.values() for call in chat} == {"{'is_disabled': True}"}


async def test_in_a_group_only_administrators_make_it_quiet(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [owner, member])
        subscribe(bot.store, group, "syria")

        async def command(user: object, args: str) -> str:
            last = bot.server.last_message(group)
            bot.server.send_command(group, "quiet", args, user=user, mention=True)
            [reply] = await replies(bot.server, group, last.message_id if last else None)
            return reply.text

        refused = await command(member, "on")
        still_loud = get_subscriber(bot.store, group).quiet
        read = await command(member, "")
        done = await command(owner, "on")
        quiet = get_subscriber(bot.store, group).quiet
    assert (refused, still_loud) == (REFUSAL, False)
    assert read.startswith("🔔 The morning briefing comes with the usual notification sound.")
    assert done.startswith("🔕 ")
    assert quiet is True
