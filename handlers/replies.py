"""Briefings sent to a chat in answer to a command or a button: one page with its buttons, and what the chat was shown."""

from __future__ import annotations

import logging

from telegram import Chat

from bot.store import get_subscriber
from bot.topics import Topic
from handlers import briefings, keyboards, render
from handlers.messaging import ChatUnreachable, send_messages
from handlers.services import BotContext
from handlers.subscribing import ensure_chat
from summaries.briefing import Briefing

log = logging.getLogger(__name__)


async def send_topic_briefing(chat: Chat, topic: Topic, context: BotContext) -> None:
    """Compose and send a topic's briefing to a chat, remembering what it was sent."""
    briefing = briefings.topic_briefing(context.services.store, topic, context.services.now(), chat.id)
    subscriber = get_subscriber(context.services.store, chat.id)
    subscribed = subscriber is not None and topic.name in subscriber.topics
    await send_briefing(context, chat, briefing, topic.name, subscribed)


async def send_query_briefing(chat: Chat, query: str, context: BotContext) -> None:
    """Compose and send an ad-hoc briefing."""
    briefing = briefings.query_briefing(context.services.store, query, context.services.now(), chat.id)
    await send_briefing(context, chat, briefing, context.services.remember_query(query), subscribed=True)


async def send_briefing(
    context: BotContext, chat: Chat, briefing: Briefing, key: str, subscribed: bool, page: int = 0
) -> None:
    """Send one page of a briefing with its buttons, and remember the stories the chat now has."""
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
        ensure_chat(context.services, chat)
        briefings.record_briefing_sent(context.services.store, chat_id, briefing, shown, context.services.now())
