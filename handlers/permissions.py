"""Who may change a chat's morning briefing: anyone in a private chat, only the administrators in a group."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from handlers.services import BotContext
from handlers.translations import N_

log = logging.getLogger(__name__)

ADMINISTRATORS = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
REFUSAL = N_("Only this group's administrators can change its settings.")


async def may_change_settings(update: Update, context: BotContext) -> bool:
    """True when the person behind this update may change the chat's subscriptions, time, zone, or /stop it."""
    chat = update.effective_chat
    if chat is None or chat.type in (ChatType.PRIVATE, ChatType.CHANNEL):
        # A private chat is its user's; only a channel's administrators can post in it.
        return True
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator writes as the group itself
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as error:
        log.warning("could not check whether %s administers chat %s: %s", user.id, chat.id, error)
        return False
    return member.status in ADMINISTRATORS


async def refuse(update: Update, context: BotContext) -> None:
    """Say no, in the chat's language: as a notice under a pressed button, or as a reply to a command."""
    refusal = context.translator.gettext(REFUSAL)
    if update.callback_query is not None:
        await update.callback_query.answer(refusal)
    elif update.effective_message is not None:
        await update.effective_message.reply_html(refusal)
