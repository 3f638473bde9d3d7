from __future__ import annotations

from datetime import timedelta

from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from tests.bot.helpers import QUAKE_A
from tests.handlers.harness import NOW, live_bot


async def test_start_says_what_the_bot_does_and_offers_topics(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().command("start")
    assert reply.text.startswith("👋 newsbrief gives you news briefings: each story summarised in a few sentences")
    assert reply.button_texts[:4] == ["Syria", "Russia", "Ukraine", "Turkey"]


async def test_the_command_menu_is_set_at_start(tmp_path):
    async with live_bot(tmp_path) as bot:
        commands = [command["command"] for command in bot.server.commands()]
    assert commands[:3] == ["start", "help", "topics"]
    assert {"syria", "turkey", "economy", "mideast"} <= set(commands)


async def test_a_topic_command_answers_with_a_briefing_and_buttons(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().command("syria")
    lines = reply.text.split("\n")
    assert lines[0] == "Syria · 2 stories from the last 24 hours"
    assert lines[2] == "1. Three-Day Truce Holds Around Manbij as Elders Broker a Pause in the Fighting"
    assert "📰 Reported by 2 outlets: Eastern Wire Review, Levant Ledger" in lines
    assert reply.button_texts == ["1 ›", "2 ›", "☀️ Every morning"]
    assert reply.link_preview_options == {"is_disabled": True}


async def test_a_second_request_leaves_out_what_the_chat_already_has(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        await chat.command("syria")
        [again] = await chat.command("syria")
        [whole] = await chat.press(again, "Show the whole briefing")
    assert again.text == "Syria: nothing new since your last briefing (2 stories unchanged)."
    assert whole.text.startswith("Syria · 2 stories from the last 24 hours")


async def test_topic_commands_work_in_groups_addressed_to_the_bot(tmp_path):
    async with live_bot(tmp_path) as bot:
        member = bot.server.add_user("Grace")
        group = bot.server.add_group("Newsroom", [member])
        last = bot.server.last_message(group)
        bot.server.send_command(group, "turkey", user=member, mention=True)
        [reply] = await bot.server.wait_for_messages_async(group, 1, 10, after=last.message_id if last else None)
    assert reply.text.startswith("Turkey · ")


async def test_brief_on_any_words_and_a_bare_brief_asks_what_about(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [found] = await chat.command("brief", "flood barrier")
        [bare] = await chat.command("brief")
    assert found.text.startswith("Briefing: flood barrier · ")
    assert "flood barrier" in found.text.lower().split("\n", 2)[2]
    assert bare.text.startswith("What about? Send /brief followed by some words")
    assert "Syria" in bare.button_texts


async def test_brief_with_a_topic_name_gives_the_topic(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().command("brief", "Syrian")
    assert reply.text.startswith("Syria · ")


async def test_latest_and_help_and_topics(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        latest = await chat.command("latest")
        [help_text] = await chat.command("help")
        [topics] = await chat.command("topics")
    assert latest[0].text.startswith("Latest news · ")
    assert "/who name — what a person has been quoted saying lately" in help_text.text
    assert (
        '/brief words — a briefing on anything, e.g. /brief grain exports; a "quoted phrase" keeps its words together, -word leaves out'
        in help_text.text.split("\n")
    )
    assert "/syria — Syria (3)" in topics.text  # three articles, two of them one story


async def test_an_unknown_command_suggests_the_closest_topics(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().command("syira")
    assert reply.text.startswith("I don't know “syira”. Did you mean /syria")


async def test_a_topic_with_no_articles_says_so(tmp_path):
    async with live_bot(tmp_path, demo=False) as bot:
        [reply] = await bot.chat().command("ukraine")
    assert reply.text == "Ukraine: no articles in the last 24 hours."


async def test_arguments_of_4000_characters_and_odd_scripts_get_a_clear_answer(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [long_reply] = await chat.command("brief", "bridge " * 600)
        [rtl] = await chat.command("who", "שלום 🙂 <b>")
        [unknown] = await chat.command("quotes", "‮evil‬ <script>")
    assert long_reply.text.startswith("Briefing: bridge bridge")
    assert rtl.text == "No quotations from שלום 🙂 <b> in the stored articles."
    # Telegram drops the bidirectional controls; the rest comes back as plain text.
    assert unknown.text.startswith("I don't know “evil <script>”")


async def test_plain_words_in_a_private_chat_are_a_briefing(tmp_path):
    async with live_bot(tmp_path) as bot:
        [reply] = await bot.chat().say("grain exports")
    assert reply.text.startswith("Briefing: grain exports · ")


QUAKE_UPDATE = (
    "The death toll from Tuesday's magnitude 6.1 earthquake in Velmora rose to 14 on Wednesday, Mayor Odile Ferrant said.\n\n"
    "Engineers from Arlen declared the Saint Brenna clock tower beyond repair and began taking down what was left of it.\n\n"
    "Schools in Velmora will stay closed until Monday while inspectors check every building near the market."
)


async def test_an_updated_story_tells_the_chat_only_what_is_new_since_it_saw_it(tmp_path):
    async with live_bot(tmp_path, demo=False) as bot:
        topics = bot.application.bot_data["services"].topics
        first = IncomingArticle("Quake topples Velmora clock tower", QUAKE_A, "a", source="Arlen Courier", published_at=NOW - timedelta(hours=3))
        store_items(bot.store, topics, [first], now=NOW)
        chat = bot.chat()
        [before] = await chat.command("brief", "Velmora")
        update = IncomingArticle("Velmora toll rises to 14", QUAKE_UPDATE, "b", source="Northern Ledger", published_at=NOW - timedelta(hours=1))
        store_items(bot.store, topics, [update], now=NOW)
        [after] = await chat.command("brief", "Velmora")
    assert "1. Quake topples Velmora clock tower" in before.text
    assert "📰 Arlen Courier" in before.text
    story = after.text.split("\n\n")[1]
    # The newest report leads the story; only what the chat was not told is shown, marked new.
    assert story.startswith("1. Velmora toll rises to 14 🔄 updated\nNew: The death toll from Tuesday's magnitude 6.1 earthquake")
    assert "A magnitude 6.1 earthquake struck the mountain town of Velmora" not in story
    assert "📰 Reported by 2 outlets: " in story


async def test_who_with_a_name_several_people_match_asks_which_one(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [asked] = await chat.command("who", "Mayor")
        [marsh] = await chat.press(asked, "Mayor Elena Marsh")
        [direct] = await chat.command("who", "Elena Marsh")
    assert asked.text == "Several people quoted lately match “Mayor”. Whom do you mean?"
    assert sorted(asked.button_texts) == ["Mayor Elena Marsh", "Mayor Grace Lindqvist"]
    assert marsh.text.split("\n")[0].startswith("🗣 Mayor Elena Marsh · ")
    assert "Lindqvist" not in marsh.text
    assert direct.text == marsh.text


PORT_NEWS = [
    ("Odesa grain exports climb to a record", "Grain exports from Odesa climbed to a record in October as convoys of ships left the harbour at dawn.", "odesa"),
    ("Varna traders count the wheat harvest", "Traders in Varna counted the wheat harvest; grain exports through the Bulgarian port held steady in autumn.", "varna"),
    ("Izmail dockers strike over pay", "Dockers at Izmail struck over pay, and exports of grain along the Danube slowed to a trickle this week.", "izmail"),
]


def _store_port_news(bot) -> None:
    topics = bot.application.bot_data["services"].topics
    items = [
        IncomingArticle(title, f"{text} " * 3, f"port-{name}", source=f"{name.title()} Herald", published_at=NOW - timedelta(hours=2 + n))
        for n, (title, text, name) in enumerate(PORT_NEWS)
    ]
    store_items(bot.store, topics, items, now=NOW)


async def test_brief_reads_quoted_phrases_and_exclusions(tmp_path):
    async with live_bot(tmp_path) as bot:
        _store_port_news(bot)
        # A chat each: a chat's second briefing leaves out the stories it was shown.
        [words] = await bot.chat("Ada").command("brief", "grain exports")
        [phrase] = await bot.chat("Grace").command("brief", '"grain exports" -wheat')
        [typed] = await bot.chat("Linus").say("«grain exports» −wheat")
        [left_out] = await bot.chat("Kate").command("brief", "-wheat")
        [not_syria] = await bot.chat("Edsger").command("brief", "-syria")
    titles = [title for title, _, _ in PORT_NEWS]
    assert [title in words.text for title in titles] == [True, True, True]
    assert phrase.text.split("\n")[0].startswith('Briefing: "grain exports" -wheat · ')
    assert [title in phrase.text for title in titles] == [True, False, False]
    assert [title in typed.text for title in titles] == [True, False, False]
    assert left_out.text == (
        "A word with a minus is left out of what is found, so I need a word to find as well, e.g. /brief grain -wheat. "
        "To leave words out of every briefing, /mute them."
    )
    assert not_syria.text == left_out.text  # never the Syria briefing
