"""What happens when a button under a briefing is pressed."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from handlers import briefings, keyboards, render
from handlers.language_choice import choose_language
from handlers.messaging import send_messages
from handlers.muting import mute_story, mutes_for, unmute
from handlers.pictures import send_story_details
from handlers.replies import send_briefing, send_topic_briefing, send_who
from handlers.services import BotContext
from handlers.permissions import may_change_settings, refuse
from handlers.subscribing import forget, schedule_note, subscribe_chat
from handlers.translations import N_

log = logging.getLogger(__name__)

EXPIRED = N_("This button has expired. Send the command again for a fresh briefing.")
GONE = N_("That story is no longer available.")


async def button(update: Update, context: BotContext) -> None:
    """Dispatch a button press by the action in its callback data."""
    query = update.callback_query
    press = keyboards.parse_callback(query.data)
    chat_id = update.effective_chat.id
    t = context.translator
    expired = t.gettext(EXPIRED)
    if press is None:
        await query.answer(expired)
        return
    now = context.services.now()
    if press.action in ("more", "quotes", "sources"):
        key = _int(press.args[0]) if press.args else None
        story = briefings.find_story(context.services.store, key, now) if key is not None else None
        if story is None:
            await query.answer(t.gettext(GONE))
            return
        await query.answer()
        if press.action == "more":
            await send_story_details(
                context.bot, context.services, chat_id, story.key, render.render_story_detail(story, t), keyboards.story_keyboard(story.key, t)
            )
        elif press.action == "quotes":
            await send_messages(context.bot, chat_id, render.render_story_quotes(story, t))
        else:
            await send_messages(context.bot, chat_id, [render.render_sources_list(story, t)])
        return
    if press.action in ("topic", "subscribe", "page", "full", "stop", "who", "mute_story", "unmute", "unhide_all", "language") and not press.args:
        await query.answer(expired)
        return
    if press.action == "topic":
        topic = context.services.topics.find(press.args[0])
        if topic is None:
            await query.answer(expired)
            return
        await query.answer()
        await send_topic_briefing(update.effective_chat, topic, context)
    elif press.action == "subscribe":
        await _subscribe(update, context, press.args[0])
    elif press.action == "page":
        page = _int(press.args[1]) if len(press.args) > 1 else None
        await _page(update, context, press.args[0], page or 0)
    elif press.action == "full":
        await _full(update, context, press.args[0])
    elif press.action == "who":
        await query.answer()
        await send_who(context, chat_id, press.args[0], exact=True)
    elif press.action == "stop":
        await _stop(update, context, confirmed=press.args[0] == "yes")
    elif press.action == "mute_story":
        await mute_story(update, context, _int(press.args[0]))
    elif press.action == "unmute":
        await unmute(update, context, _int(press.args[0]))
    elif press.action == "unhide_all":
        await unmute(update, context, None, every_story=True)
    elif press.action == "language":
        await choose_language(update, context, press.args[0])


async def _stop(update: Update, context: BotContext, *, confirmed: bool) -> None:
    """/stop's answer: delete everything (a group's administrators only), or keep it; the question loses its buttons."""
    query = update.callback_query
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    await query.answer()
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as error:
        log.debug("keyboard unchanged: %s", error)
    if confirmed:
        await forget(context, update.effective_chat.id)
    else:
        await context.bot.send_message(update.effective_chat.id, context.translator.gettext("Kept: nothing was deleted."))


async def _subscribe(update: Update, context: BotContext, name: str) -> None:
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    t = context.translator
    topic = context.services.topics.find(name)
    if topic is None:
        await update.callback_query.answer(t.gettext(EXPIRED))
        return
    subscriber = subscribe_chat(context.services, update.effective_chat, topic, language=t.code)
    note = t.gettext("{title} every morning: {when}", title=t.title(topic.title), when=schedule_note(context.services, subscriber, t))
    await update.callback_query.answer(note[:200])
    try:
        await update.callback_query.edit_message_reply_markup(
            keyboards.remove_subscribe_button(update.callback_query.message.reply_markup)
        )
    except BadRequest as error:
        log.debug("keyboard unchanged: %s", error)


async def _page(update: Update, context: BotContext, key: str, page: int) -> None:
    """A page of a briefing; the first page when the briefing has shrunk since."""
    await _rebuilt(update, context, key, page)


async def _full(update: Update, context: BotContext, key: str) -> None:
    """The whole briefing, stories already sent included."""
    await _rebuilt(update, context, key, 0)


async def _rebuilt(update: Update, context: BotContext, key: str, page: int) -> None:
    found = context.services
    t = context.translator
    mutes = mutes_for(found, update.effective_chat.id)
    briefing = briefings.briefing_for_key(found.store, key, found.now(), found.topics, found.queries, mutes=mutes, t=t)
    if briefing is None:
        await update.callback_query.answer(t.gettext(EXPIRED))
        return
    await update.callback_query.answer()
    if page >= render.pages(briefing):
        await context.bot.send_message(update.effective_chat.id, t.gettext("This briefing has changed since; here is the latest."))
        page = 0
    await send_briefing(context, update.effective_chat, briefing, key, subscribed=True, page=page)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
