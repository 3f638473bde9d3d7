"""Chat lifecycle: a group that becomes a supergroup, a user who blocks the bot, a group or channel that removes it."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType

from bot.store import channel_resumed, chat_migrated, deactivate_subscriber, update_subscriber
from handlers.channel_stops import MAY_NOT_POST, REMOVED, channel_stopped
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
    if change.chat.type == ChatType.CHANNEL:
        await channel_membership(change, context)
        return
    status = change.new_chat_member.status
    store = context.services.store
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        deactivate_subscriber(store, change.chat.id, f"bot {status} in chat")
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR):
        update_subscriber(store, change.chat.id, active=True)


async def channel_membership(change: ChatMemberUpdated, context: BotContext) -> None:
    """In a channel the bot posts only as an administrator allowed to post: otherwise the channel stops, its linker told once."""
    member = change.new_chat_member
    may_post = member.status == ChatMember.OWNER or (
        member.status == ChatMember.ADMINISTRATOR and bool(getattr(member, "can_post_messages", False))
    )
    if may_post:
        if channel_resumed(context.services.store, change.chat.id):
            log.info("channel %s: posting again", change.chat.id)
        return
    if member.status in (ChatMember.BANNED, ChatMember.LEFT):
        why = REMOVED
    else:
        why = MAY_NOT_POST
    if await channel_stopped(context.bot, context.services, change.chat.id, why):
        log.info("channel %s stopped: %s", change.chat.id, why)
