"""A chat as a subscriber: its row made on first need, subscribed to a topic, its schedule in words, forgotten."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Chat

from bot.schedule import EVERY_DAY, WEEKDAYS, WEEKEND, Schedule
from bot.store import Subscriber, ensure_subscriber, forget_chat, get_subscriber, subscribe, update_subscriber
from bot.timezones import zone
from bot.topics import Topic
from handlers.services import BotContext, Services
from handlers.translations import IN_ENGLISH, N_, Translator

NOTHING_KEPT = N_("I kept nothing about this chat, so there is nothing to delete.")
# /time and /channel … time given words that are no days.
UNREADABLE_DAYS = N_(
    "I can't read “{text}” as days: use <code>daily</code>, <code>weekdays</code>, <code>weekends</code>, "
    "or days such as <code>mon,wed,fri</code> or <code>mon-fri</code>."
)


def ensure_chat(found: Services, chat: Any, *, language: str | None = None) -> Subscriber:
    """The chat's row, created with the default time and zone (and `language`, the one it is answered in) when new."""
    return ensure_subscriber(
        found.store,
        chat.id,
        chat_type=getattr(chat, "type", None) or "private",
        title=(getattr(chat, "title", None) or getattr(chat, "username", None) or "")[:200],
        timezone=found.settings.default_timezone,
        briefing_time=found.settings.default_briefing_time,
        now=found.now(),
        language=language,
    )


def subscribe_chat(found: Services, chat: Chat, topic: Topic, *, language: str | None = None) -> Subscriber:
    """Subscribe a chat to a topic, creating it with the default time and zone (and `language`) when new."""
    chat_id = chat.id
    ensure_chat(found, chat, language=language)
    subscribe(found.store, chat_id, topic.name, now=found.now())
    subscriber = get_subscriber(found.store, chat_id)
    assert subscriber is not None
    if not subscriber.active:
        subscriber = update_subscriber(found.store, chat_id, active=True) or subscriber
    return subscriber


def schedule_note(found: Services, subscriber: Subscriber, t: Translator = IN_ENGLISH) -> str:
    """'every day at 07:00 (Europe/Berlin); next: tomorrow at 07:00 (Europe/Berlin)'."""
    when = t.gettext(
        "{days} at {time} ({zone})", days=days_phrase(subscriber.days, t), time=t.clock(subscriber.briefing_time), zone=subscriber.timezone
    )
    return t.gettext("{when}; next: {next}", when=when, next=next_push(found, subscriber, t))


def next_push(found: Services, subscriber: Subscriber, t: Translator = IN_ENGLISH) -> str:
    """'tomorrow at 07:00 (Europe/Berlin)': when the chat's next morning briefing is due."""
    now = found.now()
    return due_phrase(Schedule.of(subscriber).next_due(now).due_at, subscriber.timezone, now, t)


def days_phrase(days: str, t: Translator = IN_ENGLISH) -> str:
    """The store's weekday digits in words: 'every day', 'weekdays', 'weekends', 'Mon, Wed, Fri'."""
    named = {EVERY_DAY: N_("every day"), WEEKDAYS: N_("weekdays"), WEEKEND: N_("weekends")}
    if days in named:
        return t.gettext(named[days])
    names = t.short_weekdays()
    return ", ".join(names[int(day) - 1] for day in days)


def due_phrase(due_at: datetime, timezone: str, now: datetime, t: Translator = IN_ENGLISH) -> str:
    """An instant in the chat's words: 'today at 07:00 (Europe/Berlin)', 'on Monday at 06:30 (UTC+05:45)'."""
    tz = zone(timezone)
    local = (due_at if due_at.tzinfo else due_at.replace(tzinfo=UTC)).astimezone(tz)
    today = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(tz).date()
    days = (local.date() - today).days
    values = {"time": t.clock(local), "zone": timezone}
    if days == 0:
        return t.gettext("today at {time} ({zone})", **values)
    if days == 1:
        return t.gettext("tomorrow at {time} ({zone})", **values)
    if 1 < days < 7:
        return t.gettext("on {weekday} at {time} ({zone})", weekday=t.weekday(local.date()), **values)
    return t.gettext("on {date} at {time} ({zone})", date=t.day_and_month(local.date(), year=local.year != today.year), **values)


async def forget(context: BotContext, chat_id: int) -> None:
    """/stop confirmed: delete everything kept about the chat, and say so."""
    t = context.translator
    if forget_chat(context.services.store, chat_id):
        await context.bot.send_message(
            chat_id,
            t.gettext(
                "🗑 Done: I deleted everything I kept about this chat — subscriptions, time and time zone, mutes, "
                "and the list of stories sent. No more morning briefings. /start brings me back."
            ),
        )
    else:
        await context.bot.send_message(chat_id, t.gettext(NOTHING_KEPT))
