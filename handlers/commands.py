"""What the bot answers to commands: briefings, quotes, people, topics, help."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Chat, Update
from telegram.ext import ContextTypes

from bot.store import get_subscriber, quotes_by_speaker, quotes_for_topic, topic_counts
from bot.topics import Topic
from handlers import briefings, keyboards, render
from handlers.messaging import ChatUnreachable, send_messages
from handlers.services import Services, ensure_chat, services
from summaries.briefing import Briefing
from summaries.quotes import same_words

log = logging.getLogger(__name__)

ARGUMENT_CHARS = 200
WHO_WINDOW_DAYS = 30

HELP = """<b>newsbrief</b> briefs you on the news: short summaries of each story and who said what, in their own words.

<b>Briefings</b>
/topics — the topics I follow, with a button for each
/syria, /turkey, /economy … — a topic's briefing (see /topics)
/brief <i>words</i> — a briefing on anything, e.g. /brief grain exports
/latest — the newest stories of all topics
/quotes <i>topic</i> — who said what on a topic, by speaker
/who <i>name</i> — what a person has been quoted saying lately

<b>Every morning</b>
/subscribe <i>topic</i> — get the topic's briefing every morning
/unsubscribe <i>topic</i> — stop it
/subscriptions — your topics
/time <i>HH:MM</i> — when the morning briefing comes (your local time)
/timezone <i>name, city or UTC offset</i> — e.g. /timezone Europe/Berlin or /timezone Tokyo
/settings — everything I keep about this chat
/stop — forget this chat: subscriptions, settings, history"""


def argument_text(context: ContextTypes.DEFAULT_TYPE) -> str:
    """The words after the command, trimmed to a sane length."""
    return " ".join(context.args or [])[:ARGUMENT_CHARS].strip()


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot does and offer the topics."""
    found = services(context)
    topics = [(topic.name, topic.title) for topic in found.topics.values()][:12]
    text = (
        "👋 <b>newsbrief</b> gives you news briefings: each story summarised in a few sentences, "
        "with the key quotes and who said them.\n\n"
        "Pick a topic below, send /brief <i>any words</i>, or /subscribe <i>topic</i> for a briefing every morning. "
        "/help lists everything."
    )
    await update.effective_message.reply_html(text, reply_markup=keyboards.topics_keyboard(topics))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    await update.effective_message.reply_html(HELP)


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The topics with their commands and how many articles each has this week."""
    found = services(context)
    counts = topic_counts(found.store, since=found.now() - briefings.WINDOWS[2])
    lines = ["<b>Topics</b> (articles in the last 7 days)"]
    for topic in found.topics.values():
        lines.append(f"/{topic.command} — {render.escape(topic.title)} ({counts.get(topic.name, 0)})")
    lines.append("\n/brief <i>any words</i> works for anything else.")
    await update.effective_message.reply_html(
        "\n".join(lines), reply_markup=keyboards.topics_keyboard([(t.name, t.title) for t in found.topics.values()])
    )


async def topic_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A topic's briefing: /syria, /turkey, ... (also /syria@BotName in groups)."""
    found = services(context)
    command = update.effective_message.text.split()[0]
    topic = found.topics.by_command(command)
    if topic is None:
        await unknown_command(update, context)
        return
    await send_topic_briefing(update.effective_chat, topic, context)


async def send_topic_briefing(chat: Chat, topic: Topic, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Compose and send a topic's briefing to a chat, remembering what it was sent."""
    found = services(context)
    briefing = briefings.topic_briefing(found.store, topic, found.now(), chat.id)
    subscriber = get_subscriber(found.store, chat.id)
    subscribed = subscriber is not None and topic.name in subscriber.topics
    await send_briefing(context, chat, briefing, topic.name, subscribed)


async def brief(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A briefing on any words: /brief grain exports."""
    found = services(context)
    query = argument_text(context)
    if not query:
        topics = [(topic.name, topic.title) for topic in found.topics.values()][:9]
        await update.effective_message.reply_html(
            "What about? Send /brief followed by some words, e.g. <code>/brief grain exports</code>, or pick a topic:",
            reply_markup=keyboards.topics_keyboard(topics),
        )
        return
    topic = found.topics.find(query)
    if topic is not None:
        await send_topic_briefing(update.effective_chat, topic, context)
        return
    await send_query_briefing(update.effective_chat, query, context)


async def send_query_briefing(chat: Chat, query: str, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Compose and send an ad-hoc briefing."""
    found = services(context)
    briefing = briefings.query_briefing(found.store, query, found.now(), chat.id)
    await send_briefing(context, chat, briefing, found.remember_query(query), subscribed=True)


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The newest stories of any topic."""
    found = services(context)
    briefing = briefings.latest_briefing(found.store, found.now(), update.effective_chat.id)
    await send_briefing(context, update.effective_chat, briefing, briefings.LATEST, subscribed=True)


async def send_briefing(
    context: ContextTypes.DEFAULT_TYPE, chat: Chat, briefing: Briefing, key: str, subscribed: bool, page: int = 0
) -> None:
    """Send one page of a briefing with its buttons, and remember the stories the chat now has."""
    found = services(context)
    chat_id = chat.id
    if briefing.empty and briefing.personal and briefing.unchanged:
        await context.bot.send_message(
            chat_id, render.render_empty(briefing), reply_markup=keyboards.full_briefing_keyboard(key)
        )
        return
    messages = render.render_briefing(briefing, page)
    keyboard = keyboards.briefing_keyboard(briefing, key, page, render.STORIES_PER_PAGE, subscribed)
    try:
        await send_messages(context.bot, chat_id, messages, keyboard)
    except ChatUnreachable:
        log.info("chat %s is unreachable; not recording the briefing", chat_id)
        return
    first = page * render.STORIES_PER_PAGE
    shown = briefing.stories[first : first + render.STORIES_PER_PAGE]
    if shown:
        ensure_chat(found, chat)
        briefings.record_briefing_sent(found.store, chat_id, briefing, shown, found.now())


async def quotes_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Who said what on a topic: /quotes syria."""
    found = services(context)
    name = argument_text(context)
    if not name:
        await update.effective_message.reply_html(
            "Which topic? e.g. <code>/quotes syria</code> — /topics lists them."
        )
        return
    topic = found.topics.find(name)
    if topic is None:
        await update.effective_message.reply_html(_unknown_topic_text(found, name, "/quotes "))
        return
    now = found.now()
    for window in briefings.WINDOWS:
        since = now - window
        quotes = [q for q in quotes_for_topic(found.store, topic.name, since, limit=60) if q.kind in ("full", "partial")]
        if quotes:
            break
    unique: list[object] = []
    for quote in quotes:
        if not any(same_words(quote.text, other.text) for other in unique):  # type: ignore[attr-defined]
            unique.append(quote)
    messages = render.render_quotes_by_speaker(topic.title, unique[:20], since, now)
    await send_messages(context.bot, update.effective_chat.id, messages)


async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What a person has been quoted saying lately: /who Lavrov."""
    found = services(context)
    name = argument_text(context)
    if not name:
        await update.effective_message.reply_html("Who? e.g. <code>/who Marsh</code>")
        return
    now = found.now()
    quotes = [
        quote
        for quote in quotes_by_speaker(found.store, name, now - timedelta(days=WHO_WINDOW_DAYS), limit=30)
        if quote.kind in ("full", "partial")
    ]
    unique: list[object] = []
    for quote in quotes:
        if not any(same_words(quote.text, other.text) for other in unique):  # type: ignore[attr-defined]
            unique.append(quote)
    await send_messages(context.bot, update.effective_chat.id, render.render_who(name, unique[:10], now))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command: suggest the closest topics."""
    found = services(context)
    text = update.effective_message.text or ""
    command = text.split()[0].lstrip("/").split("@", 1)[0][:40] if text.strip() else ""
    await update.effective_message.reply_html(_unknown_topic_text(found, command, "/"))


def _unknown_topic_text(found: Services, name: str, prefix: str) -> str:
    suggestions = found.topics.closest(name, 3)
    shown = render.escape(render.clip(name, 40))
    if suggestions:
        options = ", ".join(f"{prefix}{topic.command}" for topic in suggestions)
        return f"I don't know “{shown}”. Did you mean {options}? /topics lists them all, /brief <i>words</i> finds anything."
    return f"I don't know “{shown}”. /topics lists what I follow, and /brief <i>words</i> finds anything."


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain words in a private chat are a /brief."""
    context.args = (update.effective_message.text or "").split()
    await brief(update, context)
