"""What the bot answers to commands: briefings, quotes, people, topics, help."""

from __future__ import annotations

from telegram import Update

from bot.query import parse_query
from bot.store import quotes_for_topic, topic_counts
from handlers import briefings, keyboards, render
from handlers.messaging import send_messages
from handlers.muting import mutes_for
from handlers.replies import send_briefing, send_query_briefing, send_topic_briefing, send_who
from handlers.services import BotContext, Services
from handlers.translations import N_, Translator


HELP = N_("""<b>newsbrief</b> briefs you on the news: short summaries of each story and who said what, in their own words.

<b>Briefings</b>
/topics — the topics I follow, with a button for each
/syria, /turkey, /economy … — a topic's briefing (see /topics)
/brief <i>words</i> — a briefing on anything, e.g. /brief grain exports; a "quoted phrase" keeps its words together, -word leaves out
/latest — the newest stories of all topics
/quotes <i>topic</i> — who said what on a topic, by speaker
/who <i>name</i> — what a person has been quoted saying lately

<b>Every morning</b>
/subscribe <i>topic</i> — get the topic's briefing every morning
/subscribe <i>any words</i> — your own search every morning, e.g. /subscribe grain exports
/unsubscribe <i>topic or words</i> — stop it
/subscriptions — your topics and searches
/time <i>HH:MM</i> — when the morning briefing comes (your local time)
/timezone <i>name, city or UTC offset</i> — e.g. /timezone Europe/Berlin or /timezone Tokyo
/quiet on|off — the morning briefing without sound, or with it
/mute <i>words</i> — leave out stories with these words, e.g. /mute football or /mute "Premier League"
/mutes — what is muted here, with a button to take each away
/channel @<i>name topic</i> — the morning briefing posted in a channel you administer (I must be its administrator)
/settings — everything I keep about this chat
/language — English or Russian (Русский)
/stop — forget this chat: subscriptions, settings, history""")


async def start(update: Update, context: BotContext) -> None:
    """Say what the bot does and offer the topics."""
    t = context.translator
    topics = [(topic.name, t.title(topic.title)) for topic in context.services.topics.values()][:12]
    text = t.gettext(
        "👋 <b>newsbrief</b> gives you news briefings: each story summarised in a few sentences, "
        "with the key quotes and who said them.\n\n"
        "Pick a topic below, send /brief <i>any words</i>, or /subscribe <i>topic</i> for a briefing every morning. "
        "/help lists everything."
    )
    await update.effective_message.reply_html(text, reply_markup=keyboards.topics_keyboard(topics))


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands (and inline mode, when @BotFather has switched it on)."""
    t = context.translator
    text = t.gettext(HELP)
    if context.bot.supports_inline_queries:
        name = render.escape(context.bot.username)
        text += "\n\n" + t.gettext(
            "<b>In any chat</b>\n@{name} <i>topic or words</i> — pick a story to post there, e.g. @{name} syria", name=name
        )
    await update.effective_message.reply_html(text)


async def topics_command(update: Update, context: BotContext) -> None:
    """The topics with their commands and how many articles each has this week."""
    t = context.translator
    counts = topic_counts(context.services.store, since=context.services.now() - briefings.WINDOWS[2])
    lines = [t.gettext("<b>Topics</b> (articles in the last 7 days)")]
    for topic in context.services.topics.values():
        lines.append(f"/{topic.command} — {render.escape(t.title(topic.title))} ({counts.get(topic.name, 0)})")
    lines.append("\n" + t.gettext("/brief <i>any words</i> works for anything else."))
    await update.effective_message.reply_html(
        "\n".join(lines), reply_markup=keyboards.topics_keyboard([(topic.name, t.title(topic.title)) for topic in context.services.topics.values()])
    )


async def topic_command(update: Update, context: BotContext) -> None:
    """A topic's briefing: /syria, /turkey, ... (also /syria@BotName in groups)."""
    command = update.effective_message.text.split()[0]
    topic = context.services.topics.by_command(command)
    if topic is None:
        await unknown_command(update, context)
        return
    await send_topic_briefing(update.effective_chat, topic, context)


async def brief(update: Update, context: BotContext) -> None:
    """A briefing on any words: /brief grain exports."""
    query = context.argument_text
    if not query:
        t = context.translator
        topics = [(topic.name, t.title(topic.title)) for topic in context.services.topics.values()][:9]
        await update.effective_message.reply_html(
            t.gettext("What about? Send /brief followed by some words, e.g. <code>/brief grain exports</code>, or pick a topic:"),
            reply_markup=keyboards.topics_keyboard(topics),
        )
        return
    parsed = parse_query(query)
    # "-syria" leaves Syria out: never the topic's briefing.
    topic = None if parsed.excludes else context.services.topics.find(query)
    if topic is not None:
        await send_topic_briefing(update.effective_chat, topic, context)
        return
    if parsed.size and not parsed.positive:
        await update.effective_message.reply_html(
            context.translator.gettext(
                "A word with a minus is left out of what is found, so I need a word to find as well, "
                "e.g. <code>/brief grain -wheat</code>. To leave words out of every briefing, /mute them."
            )
        )
        return
    await send_query_briefing(update.effective_chat, query, context)


async def latest(update: Update, context: BotContext) -> None:
    """The newest stories of any topic."""
    chat_id = update.effective_chat.id
    briefing = briefings.latest_briefing(context.services.store, context.services.now(), chat_id, mutes_for(context.services, chat_id))
    await send_briefing(context, update.effective_chat, briefing, briefings.LATEST, subscribed=True)


async def quotes_command(update: Update, context: BotContext) -> None:
    """Who said what on a topic: /quotes syria."""
    name = context.argument_text
    t = context.translator
    if not name:
        await update.effective_message.reply_html(
            t.gettext("Which topic? e.g. <code>/quotes syria</code> — /topics lists them.")
        )
        return
    topic = context.services.topics.find(name)
    if topic is None:
        await update.effective_message.reply_html(_unknown_topic_text(context.services, name, "/quotes ", t))
        return
    now = context.services.now()
    for window in briefings.WINDOWS:
        since = now - window
        unique = briefings.distinct_quotes(quotes_for_topic(context.services.store, topic.name, since, limit=60))
        if unique:
            break
    messages = render.render_quotes_by_speaker(topic.title, unique[:20], since, now, t)
    await send_messages(context.bot, update.effective_chat.id, messages)


async def who(update: Update, context: BotContext) -> None:
    """What a person has been quoted saying lately: /who Lavrov."""
    name = context.argument_text
    if not name:
        await update.effective_message.reply_html(context.translator.gettext("Who? e.g. <code>/who Marsh</code>"))
        return
    await send_who(context, update.effective_chat.id, name)


async def unknown_command(update: Update, context: BotContext) -> None:
    """An unknown command: suggest the closest topics."""
    text = update.effective_message.text or ""
    command = text.split()[0].lstrip("/").split("@", 1)[0][:40] if text.strip() else ""
    await update.effective_message.reply_html(_unknown_topic_text(context.services, command, "/", context.translator))


def _unknown_topic_text(found: Services, name: str, prefix: str, t: Translator) -> str:
    suggestions = found.topics.closest(name, 3)
    shown = render.escape(render.clip(name, 40))
    if suggestions:
        options = ", ".join(f"{prefix}{topic.command}" for topic in suggestions)
        return t.gettext(
            "I don't know “{name}”. Did you mean {options}? /topics lists them all, /brief <i>words</i> finds anything.",
            name=shown, options=options,
        )
    return t.gettext("I don't know “{name}”. /topics lists what I follow, and /brief <i>words</i> finds anything.", name=shown)


async def text_message(update: Update, context: BotContext) -> None:
    """Plain words in a private chat are a /brief."""
    context.args = (update.effective_message.text or "").split()
    await brief(update, context)
