"""Morning-briefing settings: topics and saved searches, time, time zone, days; and /stop, which forgets the chat."""

from __future__ import annotations


from telegram import Update

from bot.query import parse_query
from bot.schedule import describe_days, parse_days, parse_time
from bot.searches import MAX_SEARCHES, topic_typo
from bot.timezones import parse_timezone
from bot.store import chat_mutes, get_subscriber, unsubscribe, update_subscriber
from handlers import keyboards, render
from handlers.permissions import may_change_settings, refuse
from handlers.saved_searches import command_text, drop_search, listed, quoted, save_search, searches_of
from handlers.services import BotContext, Services
from handlers.subscribing import NOTHING_KEPT, ensure_chat, schedule_note, subscribe_chat

async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe syria: that topic's briefing every morning; /subscribe grain exports: a saved search of those words."""
    name = command_text(update)
    if not name:
        topics = [(topic.name, topic.title) for topic in context.services.topics.values()]
        await update.effective_message.reply_html(
            "Which topic every morning? e.g. <code>/subscribe syria</code>, or pick one; "
            "any other words are a saved search, e.g. <code>/subscribe grain exports</code>:",
            reply_markup=keyboards.subscribe_keyboard(topics),
        )
        return
    if not await may_change_settings(update, context):
        await refuse(update)
        return
    # A minus leaves words out ("-sport"): never a topic, nor a typo of one.
    excludes = parse_query(name).excludes
    topic = None if excludes else context.services.topics.find(name)
    if topic is None:
        typo_of = [] if excludes else topic_typo(name, context.services.topics)
        if not typo_of:
            await save_search(update, context, name)
            return
        suggestions = ", ".join(f"/subscribe {t.command}" for t in typo_of)
        await update.effective_message.reply_html(
            f"I don't know the topic “{render.escape(render.clip(name, 40))}”. Did you mean {suggestions}? "
            f"To follow the word itself, send it in quotes: <code>/subscribe \"{render.escape(render.clip(name, 40))}\"</code>."
        )
        return
    subscriber = subscribe_chat(context.services, update.effective_chat, topic)
    await update.effective_message.reply_html(
        f"☀️ You'll get <b>{render.escape(topic.title)}</b> {render.escape(schedule_note(context.services, subscriber))}.\n"
        "Change it with /time and /timezone; /unsubscribe stops it."
    )


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe syria, /unsubscribe grain exports (a saved search)."""
    chat_id = update.effective_chat.id
    name = command_text(update)
    if name and not await may_change_settings(update, context):
        await refuse(update)
        return
    current = get_subscriber(context.services.store, chat_id)
    topics = list(current.topics) if current else []
    searches = searches_of(context, chat_id) if current else []
    if not name:
        if not topics and not searches:
            await update.effective_message.reply_html("You have no morning briefings.")
        else:
            named = [f"/unsubscribe {context.services.topics[t].command if t in context.services.topics else t}" for t in topics]
            named += [f"/unsubscribe {render.escape(render.clip(search.label, 40))}" for search in searches]
            await update.effective_message.reply_html(f"Which one? {', '.join(named)}")
        return
    excludes = parse_query(name).excludes
    topic = None if excludes else context.services.topics.find(name)
    topic_name = topic.name if topic else name.strip().lower()
    if not excludes and unsubscribe(context.services.store, chat_id, topic_name):
        topics = [t for t in topics if t != topic_name]
        gone = render.escape(topic.title if topic else topic_name)
    else:
        removed = drop_search(context, chat_id, name)
        if removed is None:
            await update.effective_message.reply_html(f"You weren't subscribed to “{render.escape(render.clip(name, 40))}”.")
            return
        searches = [search for search in searches if search.id != removed.id]
        gone = quoted(removed.label)
    left = ", ".join([render.escape(title) for title in _titles(context.services, topics)] + [quoted(s.label, 40) for s in searches])
    rest = f" You still get: {left}." if left else " No morning briefings left."
    await update.effective_message.reply_html(f"Done: no more {gone} in the morning.{rest}")


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """/subscriptions: the chat's morning topics and saved searches, and when they come."""
    subscriber = get_subscriber(context.services.store, update.effective_chat.id)
    if subscriber is None or not (subscriber.topics or subscriber.searches):
        await update.effective_message.reply_html(
            "No morning briefings yet. Try /subscribe <i>topic</i>, or /subscribe <i>any words</i> for a saved search."
        )
        return
    searches = searches_of(context, subscriber.chat_id)
    parts = [f"<b>{render.escape(', '.join(_titles(context.services, subscriber.topics)))}</b>"] if subscriber.topics else []
    if searches:
        parts.append(f"your searches ({len(searches)} of {MAX_SEARCHES}) {listed(searches)}")
    await update.effective_message.reply_html(
        f"☀️ Every morning: {'; '.join(parts)}, {render.escape(schedule_note(context.services, subscriber))}."
        + ("\n/unsubscribe <i>words</i> takes a search away." if searches else "")
    )


async def time_command(update: Update, context: BotContext) -> None:
    """/time 07:30 (also 7, 7am, 19:05, weekdays, daily)."""
    text = context.argument_text
    if text and not await may_change_settings(update, context):
        await refuse(update)
        return
    chat_id = update.effective_chat.id
    subscriber = ensure_chat(context.services, update.effective_chat)
    if not text:
        await update.effective_message.reply_html(
            f"Your briefing comes {render.escape(schedule_note(context.services, subscriber))}. "
            "Change it with e.g. <code>/time 06:45</code>, <code>/time weekdays</code>, <code>/time mon,wed,fri</code> or <code>/time daily</code>."
        )
        return
    parsed = parse_time(text)
    if parsed is None and not text[:1].isdigit():
        try:
            days = parse_days(text)
        except ValueError as error:
            await update.effective_message.reply_html(render.escape(str(error)))
            return
        subscriber = update_subscriber(context.services.store, chat_id, days=days) or subscriber
    else:
        if parsed is None:
            await update.effective_message.reply_html(
                f"I can't read “{render.escape(render.clip(text, 40))}” as a time. Use HH:MM, e.g. <code>/time 07:30</code>."
            )
            return
        subscriber = update_subscriber(context.services.store, chat_id, briefing_time=parsed) or subscriber
    await update.effective_message.reply_html(f"⏰ Your briefing now comes {render.escape(schedule_note(context.services, subscriber))}.")


async def timezone_command(update: Update, context: BotContext) -> None:
    """/timezone Europe/Berlin, /timezone Tokyo, /timezone UTC+3."""
    text = context.argument_text
    if text and not await may_change_settings(update, context):
        await refuse(update)
        return
    subscriber = ensure_chat(context.services, update.effective_chat)
    if not text:
        await update.effective_message.reply_html(
            f"Your time zone is <b>{render.escape(subscriber.timezone)}</b>. Change it with e.g. "
            "<code>/timezone Europe/Berlin</code>, <code>/timezone Tokyo</code> or <code>/timezone UTC+3</code>."
        )
        return
    resolved = parse_timezone(text, now=context.services.now())
    if resolved.zone is None:
        suggestions = ", ".join(resolved.suggestions[:3])
        hint = f" Did you mean {render.escape(suggestions)}?" if suggestions else ""
        await update.effective_message.reply_html(
            f"I don't know the time zone “{render.escape(render.clip(text, 40))}”.{hint} "
            "Use a name like Europe/Berlin, a city, or an offset like UTC+3."
        )
        return
    subscriber = update_subscriber(context.services.store, update.effective_chat.id, timezone=resolved.zone) or subscriber
    note = f"\n<i>{render.escape(resolved.note)}</i>" if resolved.note else ""
    await update.effective_message.reply_html(
        f"🌍 Time zone set to <b>{render.escape(resolved.zone)}</b>: your briefing comes "
        f"{render.escape(schedule_note(context.services, subscriber))}.{note}"
    )


QUIET_WORDS = {"on": True, "off": False}


async def quiet_command(update: Update, context: BotContext) -> None:
    """/quiet on|off: the morning briefing without sound; /quiet alone says which it is."""
    text = context.argument_text.lower()
    if text and text not in QUIET_WORDS:
        await update.effective_message.reply_html("Send <code>/quiet on</code> or <code>/quiet off</code>.")
        return
    if not text:
        subscriber = get_subscriber(context.services.store, update.effective_chat.id)
        quiet = subscriber is not None and subscriber.quiet
        await update.effective_message.reply_html(_quiet_note(quiet) + (" /quiet off brings the sound back." if quiet else " /quiet on silences it."))
        return
    if not await may_change_settings(update, context):
        await refuse(update)
        return
    ensure_chat(context.services, update.effective_chat)
    subscriber = update_subscriber(context.services.store, update.effective_chat.id, quiet=QUIET_WORDS[text])
    await update.effective_message.reply_html(_quiet_note(subscriber is not None and subscriber.quiet))


def _quiet_note(quiet: bool) -> str:
    if quiet:
        return "🔕 The morning briefing comes without sound (a notification, no alert tone)."
    return "🔔 The morning briefing comes with the usual notification sound."


async def settings_command(update: Update, context: BotContext) -> None:
    """/settings: everything kept about the chat."""
    subscriber = get_subscriber(context.services.store, update.effective_chat.id)
    if subscriber is None:
        await update.effective_message.reply_html(
            "I keep nothing about this chat yet. /subscribe <i>topic</i> starts a morning briefing."
        )
        return
    topics = ", ".join(_titles(context.services, subscriber.topics)) or "none"
    searches = listed(searches_of(context, subscriber.chat_id)) or "none"
    state = "on" if subscriber.active else f"paused ({subscriber.deactivated_reason or 'inactive'})"
    await update.effective_message.reply_html(
        "<b>Settings</b>\n"
        f"Morning topics: {render.escape(topics)}\n"
        f"Saved searches: {searches}\n"
        f"Time: {subscriber.briefing_time:%H:%M} · time zone: {render.escape(subscriber.timezone)} · "
        f"days: {render.escape(describe_days(subscriber.days))}\n"
        f"Pushes: {render.escape(state)}{' · quiet (no sound)' if subscriber.quiet else ''}\n"
        f"Next: {render.escape(schedule_note(context.services, subscriber))}\n"
        f"{_muted_line(context.services, subscriber.chat_id)}\n\n"
        "I also remember which stories I sent here, so briefings don't repeat themselves. /stop deletes all of it."
    )


def _muted_line(found: Services, chat_id: int) -> str:
    mutes = chat_mutes(found.store, chat_id)
    stories = sum(1 for mute in mutes if mute.story_id is not None)
    if not mutes:
        return "Muted: nothing (/mute <i>words</i>)"
    words = len(mutes) - stories
    parts = [f"{words} word{'' if words == 1 else 's'} or phrase{'' if words == 1 else 's'}"] if words else []
    parts += [f"{stories} hidden stor{'y' if stories == 1 else 'ies'}"] if stories else []
    return f"Muted: {', '.join(parts)} (/mutes)"


async def stop_command(update: Update, context: BotContext) -> None:
    """/stop: ask first, with a button, before everything kept about the chat is deleted."""
    if not await may_change_settings(update, context):
        await refuse(update)
        return
    if get_subscriber(context.services.store, update.effective_chat.id) is None:
        await update.effective_message.reply_html(NOTHING_KEPT)
        return
    await update.effective_message.reply_html(
        "This deletes everything I keep about this chat: subscriptions, time and time zone, mutes, and the list of "
        "stories sent. The morning briefings stop. Delete it all?",
        reply_markup=keyboards.stop_keyboard(),
    )


def _titles(found: Services, names: object) -> list[str]:
    return [found.topics[name].title if name in found.topics else str(name) for name in names]  # type: ignore[union-attr]
