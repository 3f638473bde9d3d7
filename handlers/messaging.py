"""Sending HTML messages to a chat: retried on network trouble, a blocked or moved chat handled."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.warnings import PTBUserWarning
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.ratelimit import BULK, TelegramRateLimiter, retry_after_seconds

log = logging.getLogger(__name__)

NETWORK_TRIES = 3
# Bad Requests that mean no message will reach the chat until someone there acts (a channel that took the right to post).
UNREACHABLE = ("chat not found", "need administrator rights in the channel chat")


class ChatUnreachable(Exception):
    """The chat blocked the bot, left, or no longer exists: stop sending to it."""


@dataclass(frozen=True)
class Sent:
    """What reached the chat: the message ids, and the chat id they went to (it may have moved)."""

    chat_id: int
    message_ids: tuple[int, ...]


@dataclass(frozen=True)
class Outgoing:
    """One message to send: its HTML and the keyboard under it."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


OnSent = Callable[[int, int, int], Awaitable[None] | None]


async def send_messages(
    bot: Bot,
    chat_id: int,
    messages: Sequence[str | Outgoing],
    keyboard: InlineKeyboardMarkup | None = None,
    *,
    on_migrate: Callable[[int, int], object] | None = None,
    on_sent: OnSent | None = None,
    already_sent: int = 0,
    paid: bool = False,
    bulk: bool = False,
    silent: bool = False,
) -> Sent:
    """Send HTML messages in order; `keyboard` goes under the last one (an Outgoing carries its own).

    `already_sent` skips messages a previous attempt delivered (a push resumed
    after a crash); `on_sent(index, chat_id, message_id)` runs after each one, so
    the caller can record progress. A group that became a supergroup is followed
    to its new id (and `on_migrate(old, new)` is called); a chat that blocked the
    bot raises ChatUnreachable. Network errors and timeouts are retried a few times.
    `paid` sends as a paid broadcast (faster than Telegram's free 30 a second);
    `bulk` messages (the push) wait behind replies in our rate limiter.
    `silent` messages come without sound (`disable_notification`: a /quiet chat's push).
    """
    ids: list[int] = []
    for index, item in enumerate(messages):
        if index < already_sent:
            continue
        if isinstance(item, Outgoing):
            text, markup = item.text, item.keyboard
        else:
            text, markup = item, keyboard if index == len(messages) - 1 else None
        message_id, chat_id = await _send_one(bot, chat_id, text, markup, on_migrate, paid, bulk, silent)
        ids.append(message_id)
        if on_sent is not None:
            result = on_sent(index, chat_id, message_id)
            if asyncio.iscoroutine(result):
                await result
    return Sent(chat_id, tuple(ids))


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    on_migrate: Callable[[int, int], object] | None,
    paid: bool = False,
    bulk: bool = False,
    silent: bool = False,
) -> tuple[int, int]:
    """(message id, chat id) of one message sent, following a migrated group."""
    delay = 1.0
    for attempt in range(1, NETWORK_TRIES + 1):
        try:
            return await _post_message(bot, chat_id, text, markup, paid, bulk, silent), chat_id
        except ChatMigrated as moved:
            old, chat_id = chat_id, moved.new_chat_id
            log.info("chat %s moved to %s", old, chat_id)
            if on_migrate is not None:
                result = on_migrate(old, chat_id)
                if asyncio.iscoroutine(result):
                    await result
        except Forbidden as error:
            raise ChatUnreachable(f"{chat_id}: {error.message}") from error
        except BadRequest as error:
            if any(words in error.message.lower() for words in UNREACHABLE):
                raise ChatUnreachable(f"{chat_id}: {error.message}") from error
            raise
        except RetryAfter as error:
            # The rate limiter normally absorbs these; if one gets through, wait it out.
            await asyncio.sleep(retry_after_seconds(error))
        except (TimedOut, NetworkError) as error:
            if attempt == NETWORK_TRIES:
                raise
            log.warning("sending to %s failed (%s), try %d of %d", chat_id, error, attempt, NETWORK_TRIES)
            await asyncio.sleep(delay)
            delay *= 2
    raise NetworkError(f"could not send to {chat_id}")



async def _post_message(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, paid: bool, bulk: bool = False, silent: bool = False
) -> int:
    """sendMessage, reading only the new message's id from Telegram's answer.

    Building python-telegram-bot's Message (and an object per entity) from each
    answer costs more than the rest of a push put together; the push needs the id.
    Errors are python-telegram-bot's own, as with bot.send_message.
    """
    parameters: dict[str, object] = {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": ParseMode.HTML,
        "link_preview_options": _NO_PREVIEW,
    }
    if markup is not None:
        parameters["reply_markup"] = markup.to_dict()
    if paid:
        parameters["allow_paid_broadcast"] = True
    if silent:
        parameters["disable_notification"] = True
    with warnings.catch_warnings():
        # do_api_request suggests bot.send_message for known methods; its typed answer is what we avoid.
        warnings.simplefilter("ignore", PTBUserWarning)
        if bulk and isinstance(getattr(bot, "rate_limiter", None), TelegramRateLimiter):
            result = await bot.do_api_request("send_message", api_kwargs=parameters, rate_limit_args=BULK)  # type: ignore[call-arg]
        else:
            result = await bot.do_api_request("send_message", api_kwargs=parameters)
    return int(result["message_id"])  # type: ignore[index]


_NO_PREVIEW = {"is_disabled": True}
