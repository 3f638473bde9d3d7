"""Morning-briefing settings: topics and saved searches, time, time zone, days; and /stop, which forgets the chat."""

from __future__ import annotations

from telegram import Update

from bot.query import parse_query
from bot.schedule import parse_days, parse_time
from bot.searches import MAX_SEARCHES, topic_typo
from bot.timezones import parse_timezone
from bot.store import chat_mutes, get_subscriber, unsubscribe, update_subscriber
from handlers import keyboards, render
from handlers.permissions import may_change_settings, refuse
from handlers.saved_searches import command_text, drop_search, listed, quoted, save_search, searches_of
from handlers.services import BotContext, Services
from handlers.subscribing import NOTHING_KEPT, UNREADABLE_DAYS, days_phrase, ensure_chat, next_push, schedule_note, subscribe_chat
from handlers.translations import LANGUAGES, Translator


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe syria: that topic's briefing every morning; /subscribe grain exports: a saved search of those words."""
    name = command_text(update)
    t = context.translator
    if not name:
        topics = [(topic.name, t.title(topic.title)) for topic in context.services.topics.values()]
        await update.effective_message.reply_html(
            t.gettext(
                "Which topic every morning? e.g. <code>/subscribe syria</code>, or pick one; "
                "any other words are a saved search, e.g. <code>/subscribe grain exports</code>:"
            ),
            reply_markup=keyboards.subscribe_keyboard(topics),
        )
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    # A minus leaves words out ("-sport"): never a topic, nor a typo of one.
    excludes = parse_query(name).excludes
    topic = None if excludes else context.services.topics.find(name)
    if topic is None:
        typo_of = [] if excludes else topic_typo(name, context.services.topics)
        if not typo_of:
            await save_search(update, context, name)
            return
        suggestions = ", ".join(f"/subscribe {found.command}" for found in typo_of)
        await update.effective_message.reply_html(
            t.gettext(
                "I don't know the topic “{name}”. Did you mean {suggestions}? "
                "To follow the word itself, send it in quotes: <code>/subscribe \"{word}\"</code>.",
                name=render.escape(render.clip(name, 40)), suggestions=suggestions, word=render.escape(render.clip(name, 40)),
            )
        )
        return
    subscriber = subscribe_chat(context.services, update.effective_chat, topic, language=t.code)
    await update.effective_message.reply_html(
        t.gettext(
            "☀️ You'll get <b>{title}</b> {when}.\nChange it with /time and /timezone; /unsubscribe stops it.",
            title=render.escape(t.title(topic.title)), when=render.escape(schedule_note(context.services, subscriber, t)),
        )
    )


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe syria, /unsubscribe grain exports (a saved search)."""
    chat_id = update.effective_chat.id
    name = command_text(update)
    t = context.translator
    if name and not await may_change_settings(update, context):
        await refuse(update, context)
        return
    current = get_subscriber(context.services.store, chat_id)
    topics = list(current.topics) if current else []
    searches = searches_of(context, chat_id) if current else []
    if not name:
        if not topics and not searches:
            await update.effective_message.reply_html(t.gettext("You have no morning briefings."))
        else:
            found = context.services.topics
            named = [f"/unsubscribe {found[topic].command if topic in found else topic}" for topic in topics]
            named += [f"/unsubscribe {render.escape(render.clip(search.label, 40))}" for search in searches]
            await update.effective_message.reply_html(t.gettext("Which one? {listed}", listed=", ".join(named)))
        return
    excludes = parse_query(name).excludes
    topic = None if excludes else context.services.topics.find(name)
    topic_name = topic.name if topic else name.strip().lower()
    if not excludes and unsubscribe(context.services.store, chat_id, topic_name):
        topics = [other for other in topics if other != topic_name]
        gone = t.gettext("Done: no more {title} in the morning.", title=render.escape(t.title(topic.title) if topic else topic_name))
    else:
        removed = drop_search(context, chat_id, name)
        if removed is None:
            await update.effective_message.reply_html(t.gettext("You weren't subscribed to “{name}”.", name=render.escape(render.clip(name, 40))))
            return
        searches = [search for search in searches if search.id != removed.id]
        # The same English as a topic's, a message of its own: other languages name a topic and a search apart.
        gone = t.gettext("Done: no more {label} in the morning.", label=quoted(removed.label, t=t))
    left = ", ".join([render.escape(title) for title in _titles(context.services, topics, t)] + [quoted(s.label, 40, t) for s in searches])
    rest = t.gettext(" You still get: {titles}.", titles=left) if left else t.gettext(" No morning briefings left.")
    await update.effective_message.reply_html(gone + rest)


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """/subscriptions: the chat's morning topics and saved searches, and when they come."""
    subscriber = get_subscriber(context.services.store, update.effective_chat.id)
    t = context.translator
    if subscriber is None or not (subscriber.topics or subscriber.searches):
        await update.effective_message.reply_html(
            t.gettext("No morning briefings yet. Try /subscribe <i>topic</i>, or /subscribe <i>any words</i> for a saved search.")
        )
        return
    searches = searches_of(context, subscriber.chat_id)
    parts = [f"<b>{render.escape(', '.join(_titles(context.services, subscriber.topics, t)))}</b>"] if subscriber.topics else []
    if searches:
        parts.append(
            t.gettext("your searches ({count} of {most}) {searches}", count=len(searches), most=MAX_SEARCHES, searches=listed(searches, t))
        )
    await update.effective_message.reply_html(
        t.gettext(
            "☀️ Every morning: {briefings}, {when}.",
            briefings="; ".join(parts), when=render.escape(schedule_note(context.services, subscriber, t)),
        )
        + ("\n" + t.gettext("/unsubscribe <i>words</i> takes a search away.") if searches else "")
    )


async def time_command(update: Update, context: BotContext) -> None:
    """/time 07:30 (also 7, 7am, 19:05, weekdays, daily)."""
    text = context.argument_text
    t = context.translator
    if text and not await may_change_settings(update, context):
        await refuse(update, context)
        return
    chat_id = update.effective_chat.id
    subscriber = ensure_chat(context.services, update.effective_chat, language=t.code)
    if not text:
        await update.effective_message.reply_html(
            t.gettext(
                "Your briefing comes {when}. Change it with e.g. <code>/time 06:45</code>, <code>/time weekdays</code>, "
                "<code>/time mon,wed,fri</code> or <code>/time daily</code>.",
                when=render.escape(schedule_note(context.services, subscriber, t)),
            )
        )
        return
    parsed = parse_time(text)
    if parsed is None and not text[:1].isdigit():
        try:
            days = parse_days(text)
        except ValueError:
            await update.effective_message.reply_html(
                t.gettext(UNREADABLE_DAYS, text=render.escape(render.clip(text, 40)))
            )
            return
        subscriber = update_subscriber(context.services.store, chat_id, days=days) or subscriber
    else:
        if parsed is None:
            await update.effective_message.reply_html(
                t.gettext(
                    "I can't read “{text}” as a time. Use HH:MM, e.g. <code>/time 07:30</code>.", text=render.escape(render.clip(text, 40))
                )
            )
            return
        subscriber = update_subscriber(context.services.store, chat_id, briefing_time=parsed) or subscriber
    await update.effective_message.reply_html(
        t.gettext("⏰ Your briefing now comes {when}.", when=render.escape(schedule_note(context.services, subscriber, t)))
    )


async def timezone_command(update: Update, context: BotContext) -> None:
    """/timezone Europe/Berlin, /timezone Tokyo, /timezone UTC+3."""
    text = context.argument_text
    t = context.translator
    if text and not await may_change_settings(update, context):
        await refuse(update, context)
        return
    subscriber = ensure_chat(context.services, update.effective_chat, language=t.code)
    if not text:
        await update.effective_message.reply_html(
            t.gettext(
                "Your time zone is <b>{zone}</b>. Change it with e.g. "
                "<code>/timezone Europe/Berlin</code>, <code>/timezone Tokyo</code> or <code>/timezone UTC+3</code>.",
                zone=render.escape(subscriber.timezone),
            )
        )
        return
    resolved = parse_timezone(text, now=context.services.now())
    if resolved.zone is None:
        suggestions = ", ".join(resolved.suggestions[:3])
        hint = t.gettext(" Did you mean {suggestions}?", suggestions=render.escape(suggestions)) if suggestions else ""
        await update.effective_message.reply_html(
            t.gettext("I don't know the time zone “{name}”.", name=render.escape(render.clip(text, 40))) + hint + " "
            + t.gettext("Use a name like <code>Europe/Berlin</code>, a city, or an offset like <code>UTC+3</code>.")
        )
        return
    subscriber = update_subscriber(context.services.store, update.effective_chat.id, timezone=resolved.zone) or subscriber
    said = " ".join(t.gettext(template, **dict(values)) for template, values in resolved.wording)
    note = f"\n<i>{render.escape(said)}</i>" if said else ""
    await update.effective_message.reply_html(
        t.gettext(
            "🌍 Time zone set to <b>{zone}</b>: your briefing comes {when}.",
            zone=render.escape(resolved.zone), when=render.escape(schedule_note(context.services, subscriber, t)),
        )
        + note
    )


QUIET_WORDS = {"on": True, "off": False}


async def quiet_command(update: Update, context: BotContext) -> None:
    """/quiet on|off: the morning briefing without sound; /quiet alone says which it is."""
    text = context.argument_text.lower()
    t = context.translator
    if text and text not in QUIET_WORDS:
        await update.effective_message.reply_html(t.gettext("Send <code>/quiet on</code> or <code>/quiet off</code>."))
        return
    if not text:
        subscriber = get_subscriber(context.services.store, update.effective_chat.id)
        quiet = subscriber is not None and subscriber.quiet
        advice = t.gettext(" /quiet off brings the sound back.") if quiet else t.gettext(" /quiet on silences it.")
        await update.effective_message.reply_html(_quiet_note(quiet, t) + advice)
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    ensure_chat(context.services, update.effective_chat, language=t.code)
    subscriber = update_subscriber(context.services.store, update.effective_chat.id, quiet=QUIET_WORDS[text])
    await update.effective_message.reply_html(_quiet_note(subscriber is not None and subscriber.quiet, t))


def _quiet_note(quiet: bool, t: Translator) -> str:
    if quiet:
        return t.gettext("🔕 The morning briefing comes without sound (a notification, no alert tone).")
    return t.gettext("🔔 The morning briefing comes with the usual notification sound.")


async def settings_command(update: Update, context: BotContext) -> None:
    """/settings: everything kept about the chat."""
    subscriber = get_subscriber(context.services.store, update.effective_chat.id)
    t = context.translator
    if subscriber is None:
        await update.effective_message.reply_html(
            t.gettext("I keep nothing about this chat yet. /subscribe <i>topic</i> starts a morning briefing.")
        )
        return
    topics = ", ".join(_titles(context.services, subscriber.topics, t)) or t.gettext("none")
    searches = listed(searches_of(context, subscriber.chat_id), t) or t.gettext("none")
    state = (
        t.gettext("on") if subscriber.active
        else t.gettext("paused ({reason})", reason=subscriber.deactivated_reason or t.gettext("inactive"))
    )
    lines = [
        t.gettext("<b>Settings</b>"),
        t.gettext("Morning topics: {topics}", topics=render.escape(topics)),
        t.gettext("Saved searches: {searches}", searches=searches),
        t.gettext(
            "Time: {time} · time zone: {zone} · days: {days}",
            time=t.clock(subscriber.briefing_time), zone=render.escape(subscriber.timezone), days=render.escape(days_phrase(subscriber.days, t)),
        ),
        t.gettext("Pushes: {state}", state=render.escape(state)) + (t.gettext(" · quiet (no sound)") if subscriber.quiet else ""),
        # The time and days are on the line above: only the next push itself here.
        t.gettext("Next push: {when}", when=render.escape(next_push(context.services, subscriber, t))),
        t.gettext("Language: {language}", language=LANGUAGES[t.code]),
        _muted_line(context.services, subscriber.chat_id, t),
        "",
        t.gettext("I also remember which stories I sent here, so briefings don't repeat themselves. /stop deletes all of it."),
    ]
    await update.effective_message.reply_html("\n".join(lines))


def _muted_line(found: Services, chat_id: int, t: Translator) -> str:
    mutes = chat_mutes(found.store, chat_id)
    stories = sum(1 for mute in mutes if mute.story_id is not None)
    if not mutes:
        return t.gettext("Muted: nothing (/mute <i>words</i>)")
    words = len(mutes) - stories
    parts = [t.ngettext("{n} word or phrase", "{n} words or phrases", words)] if words else []
    parts += [t.ngettext("{n} hidden story", "{n} hidden stories", stories)] if stories else []
    return t.gettext("Muted: {parts} (/mutes)", parts=", ".join(parts))


async def stop_command(update: Update, context: BotContext) -> None:
    """/stop: ask first, with a button, before everything kept about the chat is deleted."""
    t = context.translator
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    if get_subscriber(context.services.store, update.effective_chat.id) is None:
        await update.effective_message.reply_html(t.gettext(NOTHING_KEPT))
        return
    await update.effective_message.reply_html(
        t.gettext(
            "This deletes everything I keep about this chat: subscriptions, time and time zone, mutes, and the list of "
            "stories sent. The morning briefings stop. Delete it all?"
        ),
        reply_markup=keyboards.stop_keyboard(t),
    )


def _titles(found: Services, names: object, t: Translator) -> list[str]:
    return [t.title(found.topics[name].title) if name in found.topics else str(name) for name in names]  # type: ignore[union-attr]
