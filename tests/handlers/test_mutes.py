from __future__ import annotations

import asyncio
from datetime import timedelta

import handlers.push
from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from bot.store import add_mute, chat_mutes
from handlers.permissions import REFUSAL
from tests.bot.helpers import QUAKE_A
from tests.handlers.test_commands import QUAKE_UPDATE
from tests.handlers.harness import NOW, live_bot, replies
from tests.handlers.test_push import MORNING, subscribed

MANBIJ = "1. Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"


def headlines(messages) -> list[str]:
    return [line for message in messages for line in message.text.split("\n") if line[:1].isdigit() and ". " in line[:4]]


async def test_a_muted_word_leaves_the_story_out_of_that_chat_only(tmp_path):
    async with live_bot(tmp_path) as bot:
        muting, other = bot.chat("Ada"), bot.chat("Grace")
        [muted] = await muting.command("mute", "manbij")
        mine = await muting.command("syria")
        theirs = await other.command("syria")
    assert muted.text.startswith("🔇 Muted: “manbij”. Stories with it in the headline, summary or key quote are left out")
    assert mine[0].text.split("\n")[0] == "Syria · 1 story from the last 24 hours"
    assert "Manbij" not in "\n".join(message.text for message in mine)
    assert headlines(theirs)[0] == MANBIJ
    assert len(headlines(theirs)) == 2


async def test_a_mute_is_whole_words_in_any_case_and_a_phrase_is_its_words_in_order(tmp_path):
    async with live_bot(tmp_path) as bot:
        part, phrase, backwards = bot.chat("Ada"), bot.chat("Grace"), bot.chat("Linus")
        await part.command("mute", "MANBI")
        await phrase.command("mute", '"three-day TRUCE"')
        await backwards.command("mute", '"truce three-day"')
        kept = {name: headlines(await chat.command("syria")) for name, chat in (("part", part), ("phrase", phrase), ("backwards", backwards))}
    assert MANBIJ in kept["part"]
    assert MANBIJ not in kept["phrase"] and len(kept["phrase"]) == 1
    assert MANBIJ in kept["backwards"]


async def test_stop_words_emoji_and_too_many_are_refused_clearly(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [bare] = await chat.command("mute")
        [common] = await chat.command("mute", '"of the" 🏈 grain')
        [flood] = await chat.command("mute", " ".join(f"word{n}" for n in range(11)))
        for n in range(49):  # up to the limit without the flood throttle's pause
            add_mute(bot.store, chat.chat_id, f"word{n}", f"word{n}", limit=50)
        [full] = await chat.command("mute", "wheat")
        kept = chat_mutes(bot.store, chat.chat_id)
    assert bare.text.startswith("Which words? e.g. /mute football, or /mute \"Premier League\" for a phrase")
    assert common.text.split("\n") == [
        "🔇 Muted: “grain”. Stories with it in the headline, summary or key quote are left out of this chat's briefings "
        "and morning push. /mutes lists them.",
        "Not muted: “of the” is only common words, which nearly every story has.",
        "Not muted: “🏈” has no letters or digits to match.",
    ]
    assert flood.text == "That is too much for one /mute: send up to 10 words or \"quoted phrases\" at a time."
    assert full.text == "This chat has 50 muted words, the most I keep: /mutes lists them, with a button to take each away."
    assert len(kept) == 50 and kept[0].key == "grain"


async def test_mutes_lists_them_and_a_button_takes_one_away(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [empty] = await chat.command("mutes")
        await chat.command("mute", 'manbij "Premier League"')
        [listed] = await chat.command("mutes")
        notice = await chat.press_silently(listed, "🔊 manbij")
        await bot.server.wait_for_async(lambda: "🔊 manbij" not in bot.server.message(chat.chat_id, listed.message_id).button_texts)
        redrawn = bot.server.message(chat.chat_id, listed.message_id)
        back = await chat.command("syria")
    assert empty.text.startswith("Nothing is muted in this chat.")
    assert listed.text.split("\n")[:3] == ["🔇 Muted words (2 of 50)", "• manbij", "• Premier League"]
    assert listed.button_texts == ["🔊 manbij", "🔊 Premier League"]
    assert notice == "Unmuted: manbij"
    assert redrawn.text.split("\n")[:2] == ["🔇 Muted words (1 of 50)", "• Premier League"]
    assert redrawn.button_texts == ["🔊 Premier League"]
    assert headlines(back)[0] == MANBIJ


async def test_in_a_group_only_administrators_mute_and_unmute(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [owner, member])

        async def command(user: object, name: str, args: str = "") -> object:
            last = bot.server.last_message(group)
            bot.server.send_command(group, name, args, user=user, mention=True)
            [reply] = await replies(bot.server, group, last.message_id if last else None)
            return reply

        refused = await command(member, "mute", "manbij")
        await command(owner, "mute", "manbij")
        listed = await command(member, "mutes")
        query = bot.server.press_button(group, listed.message_id, "🔊 manbij", user=member)
        answer = await asyncio.to_thread(bot.server.wait_for_callback_answer, query, 10.0)
        kept = [mute.key for mute in chat_mutes(bot.store, group)]
    assert refused.text == REFUSAL
    assert listed.button_texts == ["🔊 manbij"]
    assert answer.text == REFUSAL
    assert kept == ["manbij"]


async def test_the_push_leaves_a_muted_story_out_for_that_chat_and_composes_each_topic_once(tmp_path, monkeypatch):
    composed: list[str | None] = []
    compose = handlers.push.compose_briefing

    def counting(*args, **kwargs):
        composed.append(kwargs.get("topic"))
        return compose(*args, **kwargs)

    monkeypatch.setattr(handlers.push, "compose_briefing", counting)
    async with live_bot(tmp_path) as bot:
        muting, other = bot.chat("Ada"), bot.chat("Grace")
        await muting.command("mute", "manbij")
        subscribed(bot, muting.chat_id, "syria")
        subscribed(bot, other.chat_id, "syria")
        bot.clock.set(MORNING)
        await bot.tick()
        mine = [m for m in bot.server.messages(muting.chat_id) if m.text.startswith("Syria · ")]
        theirs = [m for m in bot.server.messages(other.chat_id) if m.text.startswith("Syria · ")]
    assert [m.text.split("\n")[0] for m in mine] == ["Syria · 1 story from the last 24 hours"]
    assert MANBIJ not in headlines(mine)
    assert headlines(theirs)[0] == MANBIJ and len(headlines(theirs)) == 2
    assert composed == ["syria"]


async def test_a_push_whose_every_story_is_muted_says_so(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("mute", "manbij aleppo")
        subscribed(bot, chat.chat_id, "syria")
        bot.clock.set(MORNING)
        await bot.tick()
        texts = [m.text for m in bot.server.messages(chat.chat_id)][-1:]
    assert texts == ["☀️ Good morning. On Syria only stories you muted (/mutes)."]


async def test_mute_story_hides_it_and_mutes_shows_it_again(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        briefing = await chat.command("syria")
        [detail] = await chat.press(briefing[0], "1 ›")
        notice = await chat.press_silently(detail, "🔇 Mute story")
        await bot.server.wait_for_async(lambda: "🔇 Mute story" not in bot.server.message(chat.chat_id, detail.message_id).button_texts)
        whole = await chat.press(await chat.command("syria") and bot.server.last_message(chat.chat_id), "Show the whole briefing")
        [listed] = await chat.command("mutes")
        shown = await chat.press_silently(listed, "👁 Three-Day Truce Holds Around Manbij as…")
        await bot.server.wait_for_async(lambda: bot.server.message(chat.chat_id, listed.message_id).edit_date is not None)
        redrawn = bot.server.message(chat.chat_id, listed.message_id)
        left = chat_mutes(bot.store, chat.chat_id)
    assert notice == "🔇 Hidden: this story and its later reports stay out of your briefings. /mutes undoes it."
    assert MANBIJ not in headlines(whole) and len(headlines(whole)) == 1
    assert listed.text.split("\n")[:2] == ["👁 Hidden stories (1)", "• Three-Day Truce Holds Around Manbij as Elders Broker a…"]
    assert shown == "Unmuted: Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"
    assert redrawn.text.startswith("Nothing is muted in this chat.")
    assert left == []


async def test_help_and_the_command_menu_name_quiet_mute_and_mutes(tmp_path):
    async with live_bot(tmp_path) as bot:
        [help_text] = await bot.chat().command("help")
        menu = [command["command"] for command in bot.server.commands()]
    lines = help_text.text.split("\n")
    assert "/quiet on|off — the morning briefing without sound, or with it" in lines
    assert '/mute words — leave out stories with these words, e.g. /mute football or /mute "Premier League"' in lines
    assert "/mutes — what is muted here, with a button to take each away" in lines
    assert {"quiet", "mute", "mutes"} <= set(menu)


async def test_settings_show_quiet_and_mutes_and_stop_forgets_the_mutes(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("mute", 'manbij "Premier League"')
        await chat.command("quiet", "on")
        [shown] = await chat.command("settings")
        [asked] = await chat.command("stop")
        await chat.press(asked, "🗑 Yes, delete it all")
        left = chat_mutes(bot.store, chat.chat_id)
    assert "Pushes: on · quiet (no sound)" in shown.text.split("\n")
    assert "Muted: 2 words or phrases (/mutes)" in shown.text.split("\n")
    assert left == []


async def test_a_hidden_story_stays_hidden_when_a_later_report_joins_it(tmp_path):
    async with live_bot(tmp_path) as bot:
        topics = bot.application.bot_data["services"].topics
        first = IncomingArticle("Quake topples Velmora clock tower", QUAKE_A, "a", source="Arlen Courier", published_at=NOW - timedelta(hours=3))
        store_items(bot.store, topics, [first], now=NOW)
        chat = bot.chat()
        [before] = await chat.command("brief", "Velmora")
        [detail] = await chat.press(before, "1 ›")
        await chat.press_silently(detail, "🔇 Mute story")
        await bot.server.wait_for_async(lambda: chat_mutes(bot.store, chat.chat_id) != [])
        update = IncomingArticle("Velmora toll rises to 14", QUAKE_UPDATE, "b", source="Northern Ledger", published_at=NOW - timedelta(hours=1))
        store_items(bot.store, topics, [update], now=NOW)
        after = await chat.command("brief", "Velmora")
        other = await bot.chat("Grace").command("brief", "Velmora")
    assert "1. Quake topples Velmora clock tower" in before.text
    assert "Velmora" not in "\n".join(headlines(after))
    assert headlines(other)[0] == "1. Velmora toll rises to 14"
