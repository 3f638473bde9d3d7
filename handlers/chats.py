"""Chat lifecycle: a group that becomes a supergroup, a user who blocks the bot or a group that removes it."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from bot.store import chat_migrated, deactivate_subscriber, update_subscriber
from handlers.services import BotContext

log = logging.getLogger(__name__)


async def migrated(update: Update, context: BotContext) -> None:
    """Keep a group's subscriptions under its new supergroup id."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if chat_migrated(context.services.store, old, new):
        log.info("chat %s migrated to %s", old, new)


async def membership(update: Update, context: BotContext) -> None:
    """The bot was blocked, kicked or let back in: stop or resume pushes."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    store = context.services.store
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        deactivate_subscriber(store, change.chat.id, f"bot {status} in chat")
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR):
        update_subscriber(store, change.chat.id, active=True)
