"""Saved searches end to end: /subscribe <any words>, listed, taken away, refused clearly, pushed each morning."""

from __future__ import annotations

from datetime import timedelta

import handlers.push
from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from bot.store import add_search, chat_searches, deliveries, ensure_subscriber, get_subscriber
from tests.handlers.harness import NOW, live_bot
from tests.handlers.test_commands import PORT_NEWS, _store_port_news
from tests.handlers.test_push import MORNING, subscribed

LIMITS = "at most 10 searches a chat, 8 words and 200 characters each"
REFUSED = f". A saved search is words to find, e.g. /subscribe grain exports ({LIMITS}); /topics lists my topics."


async def test_own_words_become_a_saved_search_that_is_listed_and_taken_away(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [saved] = await chat.command("subscribe", "grain exports")
        [again] = await chat.command("subscribe", "Grain, EXPORTS")
        [listed] = await chat.command("subscriptions")
        [settings] = await chat.command("settings")
        [which] = await chat.command("unsubscribe")
        [left] = await chat.command("unsubscribe", "GRAIN exports")
        [gone] = await chat.command("unsubscribe", "grain exports")
        kept = chat_searches(bot.store, chat.chat_id)
    assert saved.text.split("\n") == [
        "🔎 Every morning, the news on “grain exports” every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC). "
        "1 of the 15 newest articles has all these words.",
        f"Saved search 1 of 10 (a search finds stories with every word and “phrase” and no -word, as /brief does; {LIMITS}). "
        "/subscriptions lists them; /unsubscribe grain exports stops it.",
    ]
    assert again.text == "You already get “Grain, EXPORTS” every morning, every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC)."
    assert listed.text.split("\n") == [
        "☀️ Every morning: your searches (1 of 10) “grain exports”, every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC).",
        "/unsubscribe words takes a search away.",
    ]
    assert settings.text.split("\n")[1:3] == ["Morning topics: none", "Saved searches: “grain exports”"]
    assert which.text == "Which one? /unsubscribe grain exports"
    assert left.text == "Done: no more “grain exports” in the morning. No morning briefings left."
    assert gone.text == "You weren't subscribed to “grain exports”."
    assert kept == []


async def test_one_word_like_a_topic_gets_did_you_mean_and_in_quotes_it_is_a_search(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [typo] = await chat.command("subscribe", "sprot")
        [quoted] = await chat.command("subscribe", '"sprot"')
        [topic] = await chat.command("subscribe", "Sport")
        [unlike] = await chat.command("subscribe", "harbour")
        subscriber = get_subscriber(bot.store, chat.chat_id)
    assert typo.text == (
        "I don't know the topic “sprot”. Did you mean /subscribe sport? To follow the word itself, send it in quotes: "
        '/subscribe "sprot".'
    )
    assert quoted.text.startswith(
        "🔎 Every morning, the news on “\"sprot\"” every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC). "
        "Nothing stored has these words yet: the morning briefing brings them when they come."
    )
    assert topic.text.startswith("☀️ You'll get Sport every day")
    assert unlike.text.startswith("🔎 Every morning, the news on “harbour” ")
    assert (subscriber.topics, subscriber.searches) == (("sport",), ("sprot", "harbour"))


async def test_what_cannot_be_a_search_is_refused_saying_why_and_nothing_is_kept(tmp_path):
    asked = {
        "emoji": "🌾🌾",
        "common": "of the",
        "minus": "-football −\"premier league\"",
        "long": " ".join(f"word{n}" for n in range(500)),
        "many": "one1 two2 three3 four4 five5 six6 seven7 eight8 nine9",
    }
    async with live_bot(tmp_path) as bot:
        answers = {}
        for name, words in asked.items():
            chat = bot.chat()  # one chat each: the flood throttle counts commands per chat
            [answers[name]] = await chat.command("subscribe", words)
            assert chat_searches(bot.store, chat.chat_id) == []
        other = bot.chat()
        [script] = await other.command("subscribe", "зерно экспорт")
        kept = [s.key for s in chat_searches(bot.store, other.chat_id)]
    assert answers["emoji"].text == "I can't follow “🌾🌾” every morning: it has no letters or digits to search for" + REFUSED
    assert answers["common"].text == "I can't follow “of the” every morning: it is only common words, which nearly every story has" + REFUSED
    assert answers["minus"].text == (
        "I can't follow “-football −\"premier league\"” every morning: it has only words to leave out (with a minus) and "
        "nothing to find: add a word, e.g. /subscribe grain -wheat, or use /mute words to leave stories out of every briefing"
        + REFUSED
    )
    assert answers["long"].text == (
        "I can't follow “word0 word1 word2 word3 word4 word5…” every morning: it is too long: a saved search is at most "
        "200 characters" + REFUSED
    )
    assert answers["many"].text.startswith("I can't follow “one1 two2 three3 four4 five5 six6…” every morning: it has 9 words: a saved search is at most 8.")
    assert script.text.startswith("🔎 Every morning, the news on “зерно экспорт” ")
    assert kept == ["зерно экспорт"]


async def test_a_search_in_most_of_the_newest_articles_is_refused_as_nearly_everything(tmp_path):
    towns = [f"Port{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(45)]
    async with live_bot(tmp_path) as bot:
        topics = bot.application.bot_data["services"].topics
        items = [
            IncomingArticle(
                f"{town} harbour reopens", f"The harbour at {town} reopened on Tuesday after {n + 2} days of repairs to its cranes and quays. "
                f"Dockers in {town} said the first ships came in at dawn.", f"harbour-{n}", source="Coast Courier",
                published_at=NOW - timedelta(hours=2),
            )
            for n, town in enumerate(towns)
        ]
        store_items(bot.store, topics, items, now=NOW)
        chat = bot.chat()
        [common] = await chat.command("subscribe", "harbour")  # in these 45 and one demo article (the harbour bridge)
        [narrow] = await chat.command("subscribe", "harbour cranes Portaa")
        kept = [s.key for s in chat_searches(bot.store, chat.chat_id)]
    assert common.text == (
        "“harbour” is in 46 of the 60 newest articles: every morning it would bring nearly all the news. "
        "Add a word that narrows it, e.g. /subscribe grain exports, or try /latest."
    )
    assert narrow.text.startswith("🔎 Every morning, the news on “harbour cranes Portaa” ")
    assert kept == ["cranes harbour portaa"]


async def test_a_chat_keeps_at_most_ten_searches(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "grain exports")
        for n in range(9):
            add_search(bot.store, chat.chat_id, f"word{n}", f"word{n}", limit=10)
        [full] = await chat.command("subscribe", "solar panels")
        [again] = await chat.command("subscribe", "grain exports")
        kept = len(chat_searches(bot.store, chat.chat_id))
    assert full.text == (
        "This chat has 10 saved searches, the most I keep. /subscriptions lists them; /unsubscribe one of them to make room."
    )
    assert again.text.startswith("You already get “grain exports” every morning")
    assert kept == 10


async def test_the_push_composes_each_distinct_search_once_for_every_chat_that_has_it(tmp_path, monkeypatch):
    composed: list[str] = []
    compose = handlers.push.compose_briefing

    def counting(*args, **kwargs):
        composed.append(kwargs.get("topic") or kwargs["title"])
        return compose(*args, **kwargs)

    monkeypatch.setattr(handlers.push, "compose_briefing", counting)
    async with live_bot(tmp_path) as bot:
        first, second, muting, solar = bot.chat("Ada"), bot.chat("Grace"), bot.chat("Linus"), bot.chat("Kate")
        await first.command("subscribe", "grain exports")
        await second.command("subscribe", "Grain, EXPORTS")
        await muting.command("subscribe", "grain exports")
        await muting.command("mute", "quota")
        await solar.command("subscribe", "solar panels")
        await solar.command("subscribe", "grain exports")
        for chat in (first, second, muting, solar):
            subscribed(bot, chat.chat_id)
        before = {chat.chat_id: len(bot.server.messages(chat.chat_id)) for chat in (first, second, muting, solar)}
        bot.clock.set(MORNING)
        await bot.tick()
        await bot.tick()
        bot.clock.set(MORNING + timedelta(minutes=5))
        await bot.tick()
        pushed = {chat.chat_id: [m.text for m in bot.server.messages(chat.chat_id)[before[chat.chat_id]:]] for chat in (first, second, muting, solar)}
        states = sorted(d.status for chat in (first, second, muting, solar) for d in deliveries(bot.store, chat_id=chat.chat_id))
    assert sorted(composed) == ["Your search: grain exports", "Your search: solar panels"]  # as most chats wrote them
    heads = {chat_id: [text.split("\n")[0] for text in texts] for chat_id, texts in pushed.items()}
    assert heads[first.chat_id] == ["Your search: grain exports · 1 story from the last 24 hours"]
    assert heads[second.chat_id] == heads[first.chat_id]
    assert pushed[muting.chat_id] == ["☀️ Good morning. On “grain exports” only stories you muted (/mutes)."]
    assert [head.split(" · ")[0] for head in heads[solar.chat_id]] == ["Your search: solar panels", "Your search: grain exports"]
    assert "Russia Cuts Its Grain Export Quota" in pushed[first.chat_id][0]
    assert states == ["sent"] * 4


async def test_a_search_leaves_out_what_the_same_push_carries_under_a_topic(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("subscribe", "russia")
        await chat.command("subscribe", "grain exports")
        subscribed(bot, chat.chat_id)
        before = len(bot.server.messages(chat.chat_id))
        bot.clock.set(MORNING)
        await bot.tick()
        texts = [m.text for m in bot.server.messages(chat.chat_id)[before:]]
    assert [text.split(" · ")[0] for text in texts] == ["Russia"]
    assert sum(text.count("Russia Cuts Its Grain Export Quota") for text in texts) == 1


async def test_next_page_under_a_pushed_search_brings_its_later_stories(tmp_path):
    events = [
        ("Velmora", "a storm toppled two harbour cranes onto the fish market"),
        ("Ostrava Bay", "dockers struck over pay and left the harbour cranes idle"),
        ("Kessel", "the council sold its oldest harbour cranes to a museum"),
        ("Tarnow Sound", "a cargo ship rammed the pier and bent three harbour cranes"),
        ("Lirenne", "engineers found cracks in the harbour cranes after the frost"),
        ("Port Avel", "the new electric harbour cranes cut the queue of lorries"),
        ("Brask", "thieves stole copper cable from the harbour cranes overnight"),
    ]
    async with live_bot(tmp_path) as bot:
        topics = bot.application.bot_data["services"].topics
        items = [
            IncomingArticle(
                f"{town}: {event.split(' ', 1)[1][:40]}", f"In {town}, {event}, officials said on {day}. " * 3, f"cranes-{n}",
                source=f"{town} Herald", published_at=NOW - timedelta(hours=2 + n),
            )
            for n, ((town, event), day) in enumerate(zip(events, ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
        ]
        store_items(bot.store, topics, items, now=NOW)
        chat = bot.chat()
        await chat.command("subscribe", "harbour cranes")
        subscribed(bot, chat.chat_id)
        before = len(bot.server.messages(chat.chat_id))
        bot.clock.set(MORNING)
        await bot.tick()
        [pushed] = bot.server.messages(chat.chat_id)[before:]
        later = await chat.press(pushed, "Next page ›")
    assert pushed.text.split("\n")[0] == "Your search: harbour cranes · 7 stories from the last 24 hours"
    assert "Next page ›" in pushed.button_texts
    assert [line[:3] for line in later[0].text.split("\n") if line[:1].isdigit() and ". " in line[:4]] == ["6. ", "7. "]


async def test_help_and_the_command_menu_name_saved_searches(tmp_path):
    async with live_bot(tmp_path) as bot:
        [help_text] = await bot.chat().command("help")
        menu = {command["command"]: command["description"] for command in bot.server.commands()}
    lines = help_text.text.split("\n")
    assert "/subscribe any words — your own search every morning, e.g. /subscribe grain exports" in lines
    assert "/unsubscribe topic or words — stop it" in lines
    assert menu["subscribe"] == "A topic, or your own words, every morning"


async def test_a_group_that_became_a_supergroup_keeps_its_saved_search(tmp_path):
    async with live_bot(tmp_path) as bot:
        member = bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [member])
        ensure_subscriber(bot.store, group, chat_type="group", now=NOW)
        add_search(bot.store, group, "grain exports", "grain exports", limit=10, now=NOW)
        subscribed(bot, group)
        new_id = bot.server.migrate_group(group)
        bot.clock.set(MORNING)
        await bot.tick()
        moved = get_subscriber(bot.store, new_id)
        texts = [message.text for message in bot.server.messages(new_id)]
    assert moved is not None and moved.searches == ("grain exports",)
    assert get_subscriber(bot.store, group) is None
    assert [text.split(" · ")[0] for text in texts] == ["Your search: grain exports"]


async def test_a_saved_search_with_a_phrase_and_an_exclusion_is_pushed_as_typed_and_honoured(tmp_path):
    async with live_bot(tmp_path) as bot:
        _store_port_news(bot)
        chat = bot.chat()
        [saved] = await chat.command("subscribe", '"grain exports" -wheat')
        [same] = await chat.command("subscribe", '“Grain exports” −WHEAT')
        [other_order] = await chat.command("subscribe", '"exports grain" -wheat')
        [listed] = await chat.command("subscriptions")
        [gone] = await chat.command("unsubscribe", '"exports grain" -wheat')
        subscribed(bot, chat.chat_id)
        keys = [s.key for s in chat_searches(bot.store, chat.chat_id)]
        before = len(bot.server.messages(chat.chat_id))
        bot.clock.set(MORNING)
        await bot.tick()
        [pushed] = [m.text for m in bot.server.messages(chat.chat_id)[before:]]
    assert saved.text.startswith(
        "🔎 Every morning, the news on “\"grain exports\" -wheat” every day at 07:00 (UTC); next: tomorrow at 07:00 (UTC). "
        "1 of the 18 newest articles has it and none of the words left out.\n"
    )
    assert same.text.startswith("You already get ““Grain exports” −WHEAT” every morning")
    assert other_order.text.startswith("🔎 Every morning, the news on “\"exports grain\" -wheat” ")
    assert listed.text.split("\n")[0].startswith("☀️ Every morning: your searches (2 of 10) “\"grain exports\" -wheat”, “\"exports grain\" -wheat”,")
    assert gone.text.startswith("Done: no more “\"exports grain\" -wheat” in the morning.")
    assert keys == ['"grain exports" -wheat']
    assert pushed.split("\n")[0] == 'Your search: "grain exports" -wheat · 1 story from the last 24 hours'
    assert [title in pushed for title, _, _ in PORT_NEWS] == [True, False, False]


async def test_a_search_saved_under_an_older_key_is_the_same_search(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        ensure_subscriber(bot.store, chat.chat_id, now=NOW)
        add_search(bot.store, chat.chat_id, "grain exports", "grain exports", limit=10, now=NOW)  # words in the order typed
        [again] = await chat.command("subscribe", "exports grain")
        [gone] = await chat.command("unsubscribe", "Exports, grain")
        kept = chat_searches(bot.store, chat.chat_id)
    assert again.text.startswith("You already get “exports grain” every morning")
    assert gone.text == "Done: no more “grain exports” in the morning. No morning briefings left."
    assert kept == []


async def test_a_minus_before_a_topic_never_subscribes_or_unsubscribes_it(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [topic] = await chat.command("subscribe", "sport")
        [left_out] = await chat.command("subscribe", "-sport")
        [typo] = await chat.command("subscribe", "-sprot")
        [not_this] = await chat.command("unsubscribe", "-sport")
        subscriber = get_subscriber(bot.store, chat.chat_id)
    assert topic.text.startswith("☀️ You'll get Sport every day")
    assert left_out.text.startswith("I can't follow “-sport” every morning: it has only words to leave out (with a minus)")
    assert typo.text.startswith("I can't follow “-sprot” every morning: it has only words to leave out (with a minus)")
    assert not_this.text == "You weren't subscribed to “-sport”."
    assert (subscriber.topics, subscriber.searches) == (("sport",), ())
