from __future__ import annotations

import asyncio
import html
import re
from datetime import UTC, datetime, time, timedelta

from babel.messages.pofile import read_po

from bot.store import get_subscriber, latest_articles, subscribe, update_subscriber
from bot.topics import load_topics
from handlers.permissions import REFUSAL
from handlers.throttle import THROTTLE, Throttle
from handlers.translations import catalogue_path, translator
from tests.bot.helpers import LoopbackSite
from tests.bot.ingest.test_images import JPEG
from tests.handlers.harness import NOW, Chat, live_bot, replies
from tests.handlers.test_pictures import picture_for

MORNING = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

# What may be in Latin letters in a Russian reply. Article content (headlines, summaries, quotes, outlets, speakers)
# and what the user typed are checked against the store and the inputs; these are names, not words of the interface.
PROPER_NAMES = {"newsbrief", "English", "UTC", "GMT", "EDT", "MDT", "MST", "EST"}
_CODE_OR_LINK = re.compile(r"<code>.*?</code>|<a\s[^>]*>.*?</a>|<blockquote>.*?</blockquote>", re.S)
# A command, with what may follow it: a topic's command (/subscribe syria), on/off, en/ru, a place (/timezone New York).
_TOPICS = "|".join(sorted((topic.command for topic in load_topics().values()), key=len, reverse=True))
_COMMAND = re.compile(rf"/[a-z_]+(?:@\w+)?(?:\s+(?:on\|off|on|off|en|ru|(?:{_TOPICS})\b|[A-Z][A-Za-z_/]*(?: [A-Z][a-z]+)?))?")
_ZONE = re.compile(r"\b(?:[A-Z][A-Za-z_]+/)+[A-Z][A-Za-z_\-]+\b|\bUTC[+\-−]\d{1,2}(?::\d{2})?")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*(?:[ \t]+[A-Za-z0-9][A-Za-z0-9'’\-]*)*")
_WORD = re.compile(r"[A-Za-z]{3,}")
# The catalogue's one-word messages ("source", "updated", "none"): English even where article text has the word too.
with catalogue_path("ru").open("rb") as _po:
    ONE_WORD_MESSAGES = {message.id for message in read_po(_po) if isinstance(message.id, str) and re.fullmatch(r"[a-z]+", message.id)}


def english_left(text: str, allowed: str) -> list[str]:
    """The runs of Latin words of 3+ letters in an HTML reply that are interface English, not names or article text.

    Left out first: <code>, links, block quotes (article quotations), commands with their on/off/en/ru, time
    zone names. A run of Latin words is then allowed only when it is found, as written, in `allowed` (the store's
    articles and the test's own inputs) or is a proper name of PROPER_NAMES; a run that is one of the
    catalogue's one-word messages is never allowed.
    """
    plain = html.unescape(re.sub(r"<[^>]+>", " ", _CODE_OR_LINK.sub(" ", text)))
    plain = _ZONE.sub(" ", _COMMAND.sub(" ", plain))
    left = []
    for run in _LATIN_RUN.findall(plain):
        words = _WORD.findall(run)
        if not words or all(word in PROPER_NAMES for word in words):
            continue
        run = run.strip("'’-")
        if run in ONE_WORD_MESSAGES or " ".join(run.split()) not in allowed:
            left.append(run)
    return left


def allowed_text(bot, *typed: str) -> str:
    """Every piece of article content the bot may show, one normalised space between words, and what the test typed."""
    parts: list[str] = list(typed)
    for article in latest_articles(bot.store, NOW - timedelta(days=3650), 1000):
        parts += [article.title, article.source, article.text, *article.summary]
        for quote in article.quotes:
            parts += [quote.text, quote.speaker, quote.speaker_full, quote.speaker_name, f"{quote.role} {quote.speaker_name}"]
    return "\n".join(" ".join(part.split()) for part in parts)


async def edited(bot, message):
    """The message once the bot has edited it (a button press answered first, then the message redrawn)."""
    for _ in range(100):
        now = next(found for found in bot.server.messages(message.chat_id) if found.message_id == message.message_id)
        if now.edit_date is not None:
            return now
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {message.message_id} was not edited")


class Walk:
    """Commands and buttons in one chat, every reply text, button and notice kept to be checked."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.seen: list[tuple[str, str]] = []

    def keep(self, what: str, messages) -> list:
        for message in messages:
            self.seen.append((what, message.source or message.text or ""))
            self.seen.extend((f"{what} [button]", label) for label in message.button_texts)
        return messages

    async def command(self, name: str, args: str = "") -> list:
        return self.keep(f"/{name} {args}".strip(), await self.chat.command(name, args))

    async def say(self, text: str) -> list:
        return self.keep(text, await self.chat.say(text))

    async def press(self, message, label: str) -> list:
        return self.keep(f"press {label}", await self.chat.press(message, label))

    async def notice(self, message, label: str) -> str:
        answer = await self.chat.press_silently(message, label)
        self.seen.append((f"notice of {label}", answer))
        return answer


async def test_every_command_and_button_in_russian_has_no_english_left(tmp_path):
    typed = ["grain exports", "Marsh", "Mayor", "football", "Premier League", "Tokyo", "Nowhere", "nosuchtopic", "syria", "xx", "blah", "maybe"]
    async with live_bot(tmp_path) as bot:
        user = bot.server.add_user("Аня", language_code="ru")
        bot.application.bot_data[THROTTLE] = Throttle(burst=10_000)  # the walk writes faster than a person
        walk = Walk(Chat(bot.server, user.id))
        [start] = await walk.command("start")
        await walk.press(start, "Турция")
        await walk.command("help")
        await walk.command("topics")
        [briefing] = await walk.command("syria")
        [detail] = await walk.press(briefing, "1 ›")
        await walk.press(detail, "💬 Цитаты")
        await walk.press(detail, "📰 Источники")
        await walk.notice(detail, "🔇 Скрыть сюжет")
        await walk.notice(briefing, "☀️ Каждое утро")
        [again] = await walk.command("syria")
        if again.button_texts == ["Показать всю сводку"]:
            await walk.press(again, "Показать всю сводку")
        await walk.command("brief")
        await walk.command("brief", "grain exports")
        await walk.say("grain exports")
        latest = (await walk.command("latest"))[-1]
        if "Дальше ›" in latest.button_texts:
            await walk.press(latest, "Дальше ›")
        await walk.command("quotes")
        await walk.command("quotes", "syria")
        await walk.command("quotes", "nosuchtopic")
        await walk.command("who")
        await walk.command("who", "Marsh")
        [which] = await walk.command("who", "Mayor")
        await walk.press(which, which.button_texts[0])
        await walk.command("who", "nosuchtopic")
        [offer] = await walk.command("subscribe")
        await walk.notice(offer, offer.button_texts[1])
        await walk.command("subscribe", "syria")
        await walk.command("subscribe", "nosuchtopic")
        await walk.command("subscriptions")
        for args in ("", "06:45", "7pm", "weekdays", "mon,wed,fri", "daily", "25:99", "blah"):
            await walk.command("time", args)
        for args in ("", "Tokyo", "UTC+3", "EST", "EST5EDT", "Etc/GMT+5", "Nowhere", "UTC+30"):
            await walk.command("timezone", args)
        for args in ("", "on", "", "off", "maybe"):
            await walk.command("quiet", args)
        await walk.command("mute")
        await walk.command("mute", 'football "Premier League" the 🏈')
        await walk.command("mute", " ".join(f"w{n}" for n in range(12)))
        [mutes] = await walk.command("mutes")
        await walk.notice(mutes, mutes.button_texts[0])
        await walk.command("settings")
        [language] = await walk.command("language")
        await walk.notice(language, "Русский")
        await walk.command("language", "xx")
        await walk.command("unsubscribe")
        await walk.command("unsubscribe", "syria")
        await walk.command("unsubscribe", "syria")
        await walk.command("nosuchtopic")
        await walk.command("stats")
        [question] = await walk.command("stop")
        await walk.press(question, "Оставить всё")
        # The morning push, in the chat's language: a briefing, then a morning with nothing new.
        subscribe(bot.store, user.id, "syria", now=NOW)
        subscribe(bot.store, user.id, "economy", now=NOW)
        update_subscriber(bot.store, user.id, briefing_time=time(10, 0), timezone="UTC", days="1234567")
        before = len(bot.server.messages(user.id))
        bot.clock.set(MORNING)
        await bot.tick()
        bot.clock.set(MORNING + timedelta(days=1))
        await bot.tick()
        walk.keep("push", bot.server.messages(user.id)[before:])
        [question] = await walk.command("stop")
        await walk.press(question, "🗑 Да, удалить всё")
        await walk.command("stop")
        allowed = allowed_text(bot, *typed, *(f"w{n}" for n in range(12)))
    english = [(what, left) for what, text in walk.seen if (left := english_left(text, allowed))]
    assert english == [], "\n".join(map(str, english))
    assert len(walk.seen) > 120
    # What was walked really was in Russian, and did reach the push and the plural forms.
    texts = "\n".join(text for _, text in walk.seen)
    assert "☀️ Доброе утро." in texts
    plain = html.unescape(re.sub(r"<[^>]+>", "", texts))
    assert "Турция · 2 сюжета за последние 24 часа" in plain and "Сирия · 1 сюжет за последние 24 часа" in plain
    assert "📰 источник" in plain  # the demo article without an outlet
    assert "🔇 Заглушено: «football», «Premier League»." in plain
    assert language.button_texts == ["English", "Русский"]


def test_the_check_finds_english_words_and_lets_names_and_article_text_through():
    allowed = "Three-Day Truce Holds Around Manbij\nLevant Ledger\ngrain exports"
    assert english_left("<b>Сирия</b> · 2 сюжета, updated", allowed) == ["updated"]
    assert english_left("Nothing new since your last briefing.", allowed) == ["Nothing new since your last briefing"]
    assert english_left("Send <code>/quiet on</code> или /time 07:30", allowed) == ["Send"]
    assert english_left("Какую? /unsubscribe syria, /timezone New York, /quiet off", allowed) == []
    assert english_left(" /topics lists them.", allowed) == ["lists them"]
    assert english_left("<b>1. Three-Day Truce Holds Around Manbij</b> 📰 Levant Ledger", allowed) == []
    assert english_left('<a href="https://x.example/a">Weekly Wire</a> (Europe/Berlin), UTC+3, newsbrief', allowed) == []
    assert english_left("Сводка: grain exports", allowed) == []
    assert english_left("Сводка: grain exports now", allowed) == ["grain exports now"]
    assert english_left("📰 source", "the source said") == ["source"]


async def test_a_russian_telegram_gets_russian_replies_until_the_chat_chooses_english(tmp_path):
    async with live_bot(tmp_path) as bot:
        user = bot.server.add_user("Аня", language_code="ru-RU")
        chat = Chat(bot.server, user.id)
        [before] = await chat.command("quiet", "maybe")
        [shown] = await chat.command("language")
        notice = await chat.press_silently(shown, "English")
        chosen = await edited(bot, shown)
        [after] = await chat.command("quiet", "maybe")
        [back] = await chat.command("language", "ru")
        [again] = await chat.command("quiet", "maybe")
        stored = get_subscriber(bot.store, user.id).language
    assert before.text == "Отправьте /quiet on или /quiet off."
    assert shown.text == "🌐 Язык этого чата: Русский. Нажмите кнопку или отправьте /language ru либо /language en."
    assert shown.button_texts == ["English", "Русский"]
    # The pressed button redraws the message in the new language (an edit, no new message).
    assert notice == "🌐 This chat's language is now English."
    assert chosen.text == "🌐 This chat's language: English. Press a button, or send /language en or /language ru."
    assert after.text == "Send /quiet on or /quiet off."
    assert back.text == "🌐 Язык этого чата теперь — Русский."
    assert again.text == before.text
    assert stored == "ru"


async def test_an_english_telegram_gets_english_and_can_choose_russian(tmp_path):
    async with live_bot(tmp_path) as bot:
        chat = bot.chat()
        [before] = await chat.command("who")
        [chosen] = await chat.command("language", "русский")
        [after] = await chat.command("who")
        [settings] = await chat.command("settings")
        [unknown] = await chat.command("language", "klingon")
    assert before.text == "Who? e.g. /who Marsh"
    assert chosen.text == "🌐 Язык этого чата теперь — Русский."
    assert after.text == "Кто? Например /who Marsh"
    assert "Язык: Русский" in settings.text.split("\n")
    assert unknown.text == "Я не пишу на «klingon»: отправьте /language ru для русского или /language en для английского."


async def test_a_chat_without_a_choice_follows_its_users_telegram_language(tmp_path):
    async with live_bot(tmp_path) as bot:
        english = Chat(bot.server, bot.server.add_user("Ada", language_code="en").id)
        german = Chat(bot.server, bot.server.add_user("Jens", language_code="de").id)
        nameless = Chat(bot.server, bot.server.add_user("Kim", language_code=None).id)
        russian = Chat(bot.server, bot.server.add_user("Аня", language_code="ru").id)
        answers = [(await chat.command("who"))[0].text for chat in (english, german, nameless, russian)]
    assert answers == ["Who? e.g. /who Marsh"] * 3 + ["Кто? Например /who Marsh"]


async def test_in_a_group_only_administrators_change_its_language(tmp_path):
    async with live_bot(tmp_path) as bot:
        owner, member = bot.server.add_user("Ada"), bot.server.add_user("Аня", language_code="ru")
        group = bot.server.add_group("Newsroom", [owner, member])

        async def command(user: object, name: str, args: str = "") -> list:
            last = bot.server.last_message(group)
            bot.server.send_command(group, name, args, user=user, mention=True)
            return await replies(bot.server, group, last.message_id if last else None)

        [refused] = await command(member, "language", "en")
        [shown] = await command(member, "language")
        query = bot.server.press_button(group, shown.message_id, "English", user=member)
        notice = await asyncio.to_thread(bot.server.wait_for_callback_answer, query, 10.0)
        [chosen] = await command(owner, "language", "ru")
        [member_sees] = await command(member, "who")
        [owner_sees] = await command(owner, "who")
        stored = get_subscriber(bot.store, group).language
    assert refused.text == translator("ru").gettext(REFUSAL) == "Настройки этой группы меняют только её администраторы."
    assert notice.text == "Настройки этой группы меняют только её администраторы."
    assert chosen.text == "🌐 Язык этого чата теперь — Русский."
    # The group's choice is every member's: the English-speaking owner reads Russian too.
    assert member_sees.text == owner_sees.text == "Кто? Например /who Marsh"
    assert stored == "ru"


async def test_the_command_menu_is_set_in_english_and_in_russian(tmp_path):
    async with live_bot(tmp_path) as bot:
        english = {command["command"]: command["description"] for command in bot.server.commands()}
        russian = {command["command"]: command["description"] for command in bot.server.commands(language_code="ru")}
    assert list(russian) == list(english)
    assert english["help"] == "All commands" and russian["help"] == "Все команды"
    assert english["language"] == "English or Russian: /language ru"
    assert russian["language"] == "Английский или русский: /language en"
    assert english["syria"] == "Syria briefing" and russian["syria"] == "Сводка: Сирия"


async def test_the_morning_push_is_in_each_chats_language(tmp_path):
    async with live_bot(tmp_path) as bot:
        english, russian = bot.chat(), bot.chat("Аня")
        for chat, language in ((english, "en"), (russian, "ru")):
            subscribe(bot.store, chat.chat_id, "syria", now=NOW)
            update_subscriber(bot.store, chat.chat_id, briefing_time=time(10, 0), timezone="UTC", language=language)
        bot.clock.set(MORNING)
        await bot.tick()
        bot.clock.set(MORNING + timedelta(days=1))
        await bot.tick()
        sent = {chat.chat_id: [message.text for message in bot.server.messages(chat.chat_id)] for chat in (english, russian)}
    assert sent[english.chat_id][0].split("\n")[0] == "Syria · 2 stories from the last 24 hours"
    assert sent[russian.chat_id][0].split("\n")[0] == "Сирия · 2 сюжета за последние 24 часа"
    assert sent[english.chat_id][-1] == "☀️ Good morning. No news on Syria in the last 24 hours."
    assert sent[russian.chat_id][-1] == "☀️ Доброе утро. Нет новостей по теме «Сирия» за последние 24 часа."
    # The buttons under the push too.
    assert translator("ru").gettext("☀️ Every morning") == "☀️ Каждое утро"


async def test_saved_searches_channels_the_throttle_inline_mode_and_pictures_in_russian_have_no_english_left(tmp_path):
    """What main added since the walk above was written, walked the same way: every answer and button in Russian."""
    typed = ["grain exports", "sirya", "of the", "hello", "narnia", "blah", "maybe", "Nowhere", "nosuchsearch",
             "Morning Wire", "Read Only", "Elsewhere", "Newsroom", "the of and", "zzyzx", "-football",
             '"grain exports" -football', "Grain, EXPORTS"]
    with LoopbackSite() as site:
        picture = site.serve("/convoy.jpg", JPEG, content_type="image/jpeg")
        async with live_bot(tmp_path, inline_mode=True, fetch_allow_private=("127.0.0.1",)) as bot:
            anya = bot.server.add_user("Аня", language_code="ru")
            boris = bot.server.add_user("Борис", language_code="ru")
            bot.application.bot_data[THROTTLE] = Throttle(burst=10_000, chat_burst=10_000)
            walk = Walk(Chat(bot.server, anya.id))
            # Saved searches: saved, refused for each reason, a typo of a topic, listed, taken away.
            await walk.command("subscribe")
            await walk.command("subscribe", "grain exports")
            await walk.command("subscribe", "Grain, EXPORTS")
            for refused in ("🌾🌾", "of the", "-football", " ".join(f"w{n}" for n in range(9)), "w" * 201):
                await walk.command("subscribe", refused)
            # The query language: a phrase and a word left out, in a search and in /brief; only words left out.
            await walk.command("subscribe", '"grain exports" -football')
            await walk.command("unsubscribe", '"grain exports" -football')
            await walk.command("brief", "-football")
            await walk.command("subscribe", "sirya")
            await walk.command("subscribe", "syria")
            await walk.command("subscriptions")
            await walk.command("settings")
            await walk.command("unsubscribe")
            # Ten searches are the most a chat keeps.
            for n in range(9):
                await walk.command("subscribe", f"w{n} grain")
            await walk.command("subscribe", "w9 grain")
            for n in range(9):
                await walk.command("unsubscribe", f"w{n} grain")
            await walk.command("unsubscribe", "nosuchsearch")
            # The morning push of a saved search (and a topic), in Russian.
            await walk.command("time", "10:00")
            bot.clock.set(MORNING)
            before = len(bot.server.messages(anya.id))
            await bot.tick()
            pushed = walk.keep("push", bot.server.messages(anya.id)[before:])
            bot.clock.set(NOW)
            # /channel: every answer, the link, its settings, the listing, the notice when it stops, and off.
            channel = bot.server.add_channel("Morning Wire", [anya], username="morningwire")
            bot.server.add_channel("Read Only", [anya], username="readonly", bot_can_post=False)
            bot.server.add_channel("Elsewhere", [anya], username="elsewhere", bot_status="left")
            group = bot.server.add_group("Newsroom", [anya, boris], supergroup=True, username="newsroom")
            await walk.command("channel")
            for args in ("hello syria", "@nosuchchannel syria", "@newsroom syria", "@elsewhere syria", "@readonly syria",
                         "@morningwire narnia", "@morningwire time 7:30", "@morningwire off", "@morningwire"):
                await walk.command("channel", args)
            [not_admin] = await Walk(Chat(bot.server, boris.id)).command("channel", "@morningwire syria")
            walk.seen.append(("/channel by someone else", not_admin.text))
            for args in ("@morningwire syria turkey", "@morningwire", "@morningwire time 10:00", "@morningwire time weekdays",
                         "@morningwire time daily", "@morningwire time blah", "@morningwire time 25:99", "@morningwire timezone Europe/Berlin",
                         "@morningwire timezone EST", "@morningwire timezone UTC", "@morningwire timezone Nowhere",
                         "@morningwire quiet on", "@morningwire quiet maybe", "@morningwire quiet off"):
                await walk.command("channel", args)
            await walk.command("channel")
            bot.clock.set(MORNING)
            await bot.tick()
            posted = walk.keep("channel push", bot.server.messages(channel))
            # The next morning, with nothing new on the saved search (its story sent yesterday).
            bot.clock.set(MORNING + timedelta(days=1))
            before = len(bot.server.messages(anya.id))
            await bot.tick()
            [next_morning] = walk.keep("push, the next morning", bot.server.messages(anya.id)[before:])
            bot.clock.set(NOW)
            await walk.command("brief", '"grain exports" -football')
            await walk.command("unsubscribe", "grain exports")
            after = bot.server.last_message(anya.id).message_id
            bot.server.set_bot_member(channel, "administrator", can_post_messages=False, by=anya)
            [told] = walk.keep("channel stopped", await replies(bot.server, anya.id, after))
            await walk.command("channel")
            await walk.command("channel", "@morningwire off")
            await walk.command("channel", "@morningwire off")
            bot.server.send_command(group, "channel", "@morningwire syria", user=anya, mention=True)
            walk.keep("/channel in a group", await replies(bot.server, group, None))
            # The throttle: a person in a private chat, a button, a person in a group, a whole group.
            bot.application.bot_data[THROTTLE] = Throttle(burst=1, window=600.0)
            [shown] = await walk.command("language")
            await walk.notice(shown, "Русский")
            bot.application.bot_data[THROTTLE] = Throttle(burst=1, window=600.0)
            await walk.command("help")
            await walk.command("help")
            bot.application.bot_data[THROTTLE] = Throttle(burst=1, chat_burst=10_000, window=600.0)
            for _ in range(2):
                last = bot.server.last_message(group).message_id
                bot.server.send_command(group, "help", user=anya, mention=True)
                walk.keep("group flood", await replies(bot.server, group, last))
            bot.application.bot_data[THROTTLE] = Throttle(burst=10, chat_burst=1, window=600.0)
            for user in (anya, boris):
                last = bot.server.last_message(group).message_id
                bot.server.send_command(group, "help", user=user, mention=True)
                walk.keep("group backstop", await replies(bot.server, group, last))
            bot.application.bot_data[THROTTLE] = Throttle(burst=10_000, chat_burst=10_000)
            # Inline mode: a topic's results, a search's, and the buttons of queries that find nothing.
            answers = []
            for query in ("syria", "grain exports", "the of and", "🙂🔥", "zzyzx"):
                answer = await bot.server.wait_for_inline_answer_async(bot.server.send_inline_query(anya, query), 10.0)
                answers.append(answer)
                for result in answer.results:
                    walk.seen += [(f"@bot {query} title", result["title"]), (f"@bot {query} description", result["description"]),
                                  (f"@bot {query} message", result["input_message_content"]["message_text"])]
                if answer.button:
                    walk.seen.append((f"@bot {query} button", answer.button["text"]))
            # The story view as a photo with its details as caption, and its buttons.
            picture_for(bot.store, "Aleppo", picture)
            reader = Walk(Chat(bot.server, boris.id))  # one who was sent nothing yet
            [briefing] = await reader.command("syria")
            [details] = await reader.press(briefing, "2 ›")
            walk.seen += reader.seen
            # Also typed: the searches w0 grain…, the channels' @names, the topic commands /channel suggests, and the bot's
            # own @name with the example /help gives of inline mode.
            names = ["nosuchchannel", "elsewhere", "readonly", "morningwire", f"@{bot.server.bot.username} syria"]
            commands = [topic.command for topic in load_topics().values()]
            allowed = allowed_text(bot, *typed, *names, *commands, *(f"w{n} grain" for n in range(10)), "w" * 200, *(f"w{n}" for n in range(9)))
    english = [(what, left) for what, text in walk.seen if (left := english_left(text, allowed))]
    assert english == [], "\n".join(map(str, english))
    texts = html.unescape(re.sub(r"<[^>]+>", "", "\n".join(text for _, text in walk.seen)))
    # What was walked really was what main added, in Russian.
    assert "🔎 Каждое утро — новости по запросу «grain exports»" in texts
    assert "Сохранённых поисков в этом чате уже 10 — больше я не храню." in texts
    assert "Не могу присылать «🌾🌾» каждое утро: в нём нет ни букв, ни цифр, чтобы искать." in texts
    assert "Может быть, /subscribe syria?" in texts
    assert "Нашлось в 1 статье из 15 последних, и исключённых слов в ней нет." in texts  # one phrase and a word left out
    assert "Слово с минусом исключается из найденного, поэтому нужно ещё и слово, которое искать" in texts
    assert "Готово: поиск «grain exports» больше не будет приходить по утрам. Остаются: Сирия." in texts
    assert any(text.startswith("Ваш поиск: grain exports · 1 сюжет") for text in (message.text for message in pushed))
    assert next_morning.text.startswith("☀️ Доброе утро. ") and "«grain exports»" in next_morning.text
    assert posted and posted[0].text.split("\n")[0] == "Сирия · 2 сюжета за последние 24 часа"
    assert told.text.startswith("📢 Я перестал публиковать утреннюю сводку в @morningwire: мне больше нельзя публиковать сообщения в канале.")
    assert "Помедленнее, пожалуйста." in texts
    assert "Помедленнее: снова отвечу через 600 секунд." in texts
    assert "Аня, помедленнее: снова отвечу вам через 600 секунд." in texts
    assert "В этой группе спрашивают быстрее, чем я успеваю отвечать: снова отвечу через 600 секунд." in texts
    assert answers[0].results[0]["description"].endswith(" · 2 издания")
    assert [answer.button["text"] if answer.button else None for answer in answers[2:]] == [
        "«the of and» — одни самые обычные слова: откройте бота", "В «🙂🔥» нет слов для поиска: откройте бота",
        "Нет сюжетов по запросу «zzyzx»: откройте бота",
    ]
    assert (details.kind, details.button_texts) == ("photo", ["💬 Цитаты", "📰 Источники", "🔇 Скрыть сюжет"])
