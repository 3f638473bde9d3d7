"""Answers sent to a chat for a command or a button: a briefing page with its buttons (and what the chat was shown),
and who said what."""

from __future__ import annotations

import logging

from telegram import Chat

from bot.store import get_subscriber
from bot.topics import Topic
from handlers import briefings, keyboards, render
from handlers.messaging import ChatUnreachable, send_messages
from handlers.muting import mutes_for
from handlers.services import BotContext
from handlers.subscribing import ensure_chat
from summaries.briefing import Briefing

log = logging.getLogger(__name__)


async def send_topic_briefing(chat: Chat, topic: Topic, context: BotContext) -> None:
    """Compose and send a topic's briefing to a chat, remembering what it was sent."""
    briefing = briefings.topic_briefing(context.services.store, topic, context.services.now(), chat.id, mutes_for(context.services, chat.id))
    subscriber = get_subscriber(context.services.store, chat.id)
    subscribed = subscriber is not None and topic.name in subscriber.topics
    await send_briefing(context, chat, briefing, topic.name, subscribed)


async def send_query_briefing(chat: Chat, query: str, context: BotContext) -> None:
    """Compose and send an ad-hoc briefing."""
    briefing = briefings.query_briefing(
        context.services.store, query, context.services.now(), chat.id, mutes_for(context.services, chat.id), context.translator
    )
    await send_briefing(context, chat, briefing, context.services.remember_query(query), subscribed=True)


async def send_briefing(
    context: BotContext, chat: Chat, briefing: Briefing, key: str, subscribed: bool, page: int = 0
) -> None:
    """Send one page of a briefing with its buttons, and remember the stories the chat now has."""
    chat_id = chat.id
    t = context.translator
    if briefing.empty and briefing.personal and briefing.unchanged:
        await context.bot.send_message(
            chat_id, render.render_empty(briefing, t), reply_markup=keyboards.full_briefing_keyboard(key, t)
        )
        return
    messages = render.render_briefing(briefing, page, t=t)
    keyboard = keyboards.briefing_keyboard(briefing, key, page, render.STORIES_PER_PAGE, subscribed, t)
    try:
        await send_messages(context.bot, chat_id, messages, keyboard)
    except ChatUnreachable:
        log.info("chat %s is unreachable; not recording the briefing", chat_id)
        return
    first = page * render.STORIES_PER_PAGE
    shown = briefing.stories[first : first + render.STORIES_PER_PAGE]
    if shown:
        ensure_chat(context.services, chat, language=t.code)
        briefings.record_briefing_sent(context.services.store, chat_id, briefing, shown, context.services.now())


async def send_who(context: BotContext, chat_id: int, name: str, *, exact: bool = False) -> None:
    """What one person was quoted saying; when several people match `name`, ask which (buttons).

    `exact`: `name` is a person's identity key (a button was pressed), so only that person answers.
    """
    now = context.services.now()
    t = context.translator
    people = briefings.people_quoted(context.services.store, name, now, exact=exact)
    if len(people) > 1:
        markup = keyboards.people_keyboard([(person.key, person.display) for person in people])
        await send_messages(context.bot, chat_id, [render.render_which_person(name, people, t)], markup)
        return
    await send_messages(context.bot, chat_id, render.render_who(name, people[0] if people else None, now, t=t))
