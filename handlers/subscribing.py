"""A chat as a subscriber: its row made on first need, subscribed to a topic, its schedule in words, forgotten."""

from __future__ import annotations

from typing import Any

from telegram import Chat

from bot.schedule import Schedule, describe_days
from bot.store import Subscriber, ensure_subscriber, forget_chat, get_subscriber, subscribe, update_subscriber
from bot.topics import Topic
from handlers.services import BotContext, Services

NOTHING_KEPT = "I kept nothing about this chat, so there is nothing to delete."


def ensure_chat(found: Services, chat: Any) -> Subscriber:
    """The chat's row, created with the default time and zone when new (/stop deletes it)."""
    return ensure_subscriber(
        found.store,
        chat.id,
        chat_type=getattr(chat, "type", None) or "private",
        title=(getattr(chat, "title", None) or getattr(chat, "username", None) or "")[:200],
        timezone=found.settings.default_timezone,
        briefing_time=found.settings.default_briefing_time,
        now=found.now(),
    )


def subscribe_chat(found: Services, chat: Chat, topic: Topic) -> Subscriber:
    """Subscribe a chat to a topic, creating it with the default time and zone when new."""
    chat_id = chat.id
    ensure_chat(found, chat)
    subscribe(found.store, chat_id, topic.name, now=found.now())
    subscriber = get_subscriber(found.store, chat_id)
    assert subscriber is not None
    if not subscriber.active:
        subscriber = update_subscriber(found.store, chat_id, active=True) or subscriber
    return subscriber


def schedule_note(found: Services, subscriber: Subscriber) -> str:
    """'every day at 07:00 (Europe/Berlin); next: tomorrow at 07:00 (Europe/Berlin)'."""
    plan = Schedule.of(subscriber)
    when = f"{describe_days(subscriber.days)} at {subscriber.briefing_time:%H:%M} ({subscriber.timezone})"
    return f"{when}; next: {plan.describe_next(found.now())}"


async def forget(context: BotContext, chat_id: int) -> None:
    """/stop confirmed: delete everything kept about the chat, and say so."""
    if forget_chat(context.services.store, chat_id):
        await context.bot.send_message(
            chat_id,
            "🗑 Done: I deleted everything I kept about this chat — subscriptions, time and time zone, mutes, "
            "and the list of stories sent. No more morning briefings. /start brings me back.",
        )
    else:
        await context.bot.send_message(chat_id, NOTHING_KEPT)
