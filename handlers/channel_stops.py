"""A linked channel that stopped (the bot removed, or no longer allowed to post): no more pushes, its linker told once."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.store import LinkedChannel, claim_stop_notice, deactivate_subscriber, get_linked_channel
from handlers import render
from handlers.services import Services

log = logging.getLogger(__name__)


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
    reference = render.escape(channel_reference(link))
    text = (
        f"📢 I stopped posting the morning briefing in {render.escape(channel_name(link))}: {render.escape(why)}.\n"
        f"Make me an administrator of the channel who may post messages, then send <code>/channel {reference}</code> "
        f"to start again; <code>/channel {reference} off</code> forgets the channel."
    )
    try:
        await bot.send_message(linker, text)
    except TelegramError as error:
        log.warning("could not tell user %s that channel %s stopped: %s", linker, channel_id, error)
    return True
