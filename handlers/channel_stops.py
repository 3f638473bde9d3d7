"""A linked channel that stopped (the bot removed, or no longer allowed to post): no more pushes, its linker told once."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.store import LinkedChannel, claim_stop_notice, deactivate_subscriber, get_linked_channel, get_subscriber
from handlers import render
from handlers.services import Services
from handlers.translations import N_, Translator, language_for, translator

log = logging.getLogger(__name__)

# Why a channel stopped, as kept in subscribers.deactivated_reason (in English) and told in the linker's language.
REMOVED = N_("I was removed from the channel")
MAY_NOT_POST = N_("I may no longer post messages in the channel")
TELEGRAM_ANSWERED = N_("Telegram answered “{said}”")
INACTIVE = N_("inactive")


def telegram_answered(said: str) -> str:
    """The reason kept when a post to a channel was refused: Telegram's own words, quoted."""
    return TELEGRAM_ANSWERED.format(said=said)


def stop_reason(why: str, t: Translator) -> str:
    """A kept reason in the chat's language: one of the reasons above translated, Telegram's words as it wrote them."""
    before, _, after = TELEGRAM_ANSWERED.partition("{said}")
    if why.startswith(before) and why.endswith(after) and len(why) >= len(before) + len(after):
        return t.gettext(TELEGRAM_ANSWERED, said=why[len(before) : len(why) - len(after)])
    return t.gettext(why)


def channel_name(link: LinkedChannel) -> str:
    """How a channel is named to its linker: @username, else its title, else its id."""
    if link.username:
        return f"@{link.username}"
    return link.subscriber.title or str(link.channel_id)


def channel_reference(link: LinkedChannel) -> str:
    """What the linker types to name the channel in /channel: @username, else its id."""
    return f"@{link.username}" if link.username else str(link.channel_id)


async def channel_stopped(bot: Bot, found: Services, channel_id: int, why: str) -> bool:
    """Stop pushing to a linked channel and tell the user who linked it, the first time only; False when not linked."""
    link = get_linked_channel(found.store, channel_id)
    if link is None:
        return False
    deactivate_subscriber(found.store, channel_id, why)
    linker = claim_stop_notice(found.store, channel_id, now=found.now())
    if linker is None:
        return True  # told already
    # The linker is told in their own chat's language, else in the channel's (the language it was linked in).
    own = get_subscriber(found.store, linker)
    t = translator(language_for(own.language if own is not None and own.language else link.subscriber.language))
    text = t.gettext(
        "📢 I stopped posting the morning briefing in {name}: {why}.\n"
        "Make me an administrator of the channel who may post messages, then send <code>/channel {reference}</code> "
        "to start again; <code>/channel {reference} off</code> forgets the channel.",
        name=render.escape(channel_name(link)), why=render.escape(stop_reason(why, t)), reference=render.escape(channel_reference(link)),
    )
    try:
        await bot.send_message(linker, text)
    except TelegramError as error:
        log.warning("could not tell user %s that channel %s stopped: %s", linker, channel_id, error)
    return True
