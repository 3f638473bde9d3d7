"""Morning-briefing settings: topics, time, time zone, days; and /stop, which forgets the chat."""

from __future__ import annotations

import re
from datetime import time

from telegram import Update

from bot.schedule import parse_days
from bot.timezones import parse_timezone
from bot.store import chat_mutes, get_subscriber, unsubscribe, update_subscriber
from handlers import keyboards, render
from handlers.permissions import may_change_settings, refuse
from handlers.services import BotContext, Services
from handlers.subscribing import NOTHING_KEPT, days_phrase, ensure_chat, schedule_note, subscribe_chat
from handlers.translations import LANGUAGES, Translator

_TIME = re.compile(r"^\s*([01]?\d|2[0-3])(?:[:.h]([0-5]\d))?\s*(am|pm)?\s*$", re.I)


async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe syria: that topic's briefing every morning."""
    name = context.argument_text
    t = context.translator
    if not name:
        topics = [(topic.name, t.title(topic.title)) for topic in context.services.topics.values()]
        await update.effective_message.reply_html(
            t.gettext("Which topic every morning? e.g. <code>/subscribe syria</code>, or pick one:"),
            reply_markup=keyboards.subscribe_keyboard(topics),
        )
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    topic = context.services.topics.find(name)
    if topic is None:
        suggestions = ", ".join(f"/subscribe {found.command}" for found in context.services.topics.closest(name, 3))
        hint = t.gettext(" Did you mean {suggestions}?", suggestions=suggestions) if suggestions else t.gettext(" /topics lists them.")
        await update.effective_message.reply_html(t.gettext("I don't know the topic “{name}”.", name=render.escape(render.clip(name, 40))) + hint)
        return
    subscriber = subscribe_chat(context.services, update.effective_chat, topic, language=t.code)
    await update.effective_message.reply_html(
        t.gettext(
            "☀️ You'll get <b>{title}</b> {when}.\nChange it with /time and /timezone; /unsubscribe stops it.",
            title=render.escape(t.title(topic.title)), when=render.escape(schedule_note(context.services, subscriber, t)),
        )
    )


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe syria."""
    chat_id = update.effective_chat.id
    name = context.argument_text
    t = context.translator
    if name and not await may_change_settings(update, context):
        await refuse(update, context)
        return
    current = get_subscriber(context.services.store, chat_id)
    topics = list(current.topics) if current else []
    if not name:
        if not topics:
            await update.effective_message.reply_html(t.gettext("You have no morning briefings."))
        else:
            found = context.services.topics
            listed = ", ".join(f"/unsubscribe {found[topic].command if topic in found else topic}" for topic in topics)
            await update.effective_message.reply_html(t.gettext("Which one? {listed}", listed=listed))
        return
    topic = context.services.topics.find(name)
    topic_name = topic.name if topic else name.strip().lower()
    if unsubscribe(context.services.store, chat_id, topic_name):
        left = [other for other in topics if other != topic_name]
        rest = (
            t.gettext(" You still get: {titles}.", titles=", ".join(_titles(context.services, left, t)))
            if left else t.gettext(" No morning briefings left.")
        )
        title = render.escape(t.title(topic.title) if topic else topic_name)
        await update.effective_message.reply_html(t.gettext("Done: no more {title} in the morning.", title=title) + rest)
    else:
        await update.effective_message.reply_html(t.gettext("You weren't subscribed to “{name}”.", name=render.escape(render.clip(name, 40))))


async def subscriptions_command(update: Update, context: BotContext) -> None:
    """/subscriptions: the chat's morning topics and when they come."""
    subscriber = get_subscriber(context.services.store, update.effective_chat.id)
    t = context.translator
    if subscriber is None or not subscriber.topics:
        await update.effective_message.reply_html(t.gettext("No morning briefings yet. Try /subscribe <i>topic</i>."))
        return
    await update.effective_message.reply_html(
        t.gettext(
            "☀️ Every morning: <b>{titles}</b>, {when}.",
            titles=render.escape(", ".join(_titles(context.services, subscriber.topics, t))),
            when=render.escape(schedule_note(context.services, subscriber, t)),
        )
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
                t.gettext(
                    "I can't read “{text}” as days: use <code>daily</code>, <code>weekdays</code>, <code>weekends</code>, "
                    "or days such as <code>mon,wed,fri</code> or <code>mon-fri</code>.",
                    text=render.escape(render.clip(text, 40)),
                )
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


def parse_time(text: str) -> time | None:
    """'07:30', '7', '7.30', '7pm', '19h05' as a time of day, or None."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)


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
    state = (
        t.gettext("on") if subscriber.active
        else t.gettext("paused ({reason})", reason=subscriber.deactivated_reason or t.gettext("inactive"))
    )
    lines = [
        t.gettext("<b>Settings</b>"),
        t.gettext("Morning topics: {topics}", topics=render.escape(topics)),
        t.gettext(
            "Time: {time} · time zone: {zone} · days: {days}",
            time=t.clock(subscriber.briefing_time), zone=render.escape(subscriber.timezone), days=render.escape(days_phrase(subscriber.days, t)),
        ),
        t.gettext("Pushes: {state}", state=render.escape(state)) + (t.gettext(" · quiet (no sound)") if subscriber.quiet else ""),
        t.gettext("Next: {when}", when=render.escape(schedule_note(context.services, subscriber, t))),
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
