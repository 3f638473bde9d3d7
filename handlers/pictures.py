"""A story's details with its lead image: one photo with the details as its caption when they fit, else the text alone.

The picture is fetched by the bot (bot.ingest.images: the address guard, a size
cap, a deadline, JPEG/PNG/WebP/GIF only) and uploaded as bytes; once Telegram
has it, its file id is kept (bounded) so the next view of the story sends no
fetch. Whatever goes wrong with the picture (refused, missing, too slow, or
Telegram not taking it), the details go as a text message: a picture never
costs the reader the story.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError

from bot.ingest.fetch import FetchError, FetchLimits
from bot.ingest.images import fetch_picture
from bot.store import lead_image_url
from handlers import render
from handlers.messaging import send_messages
from handlers.services import Services

CAPTION_LIMIT = 1024
# Telegram file ids of pictures already uploaded, by image URL (newest last), at most this many.
KNOWN_PICTURES = 1000

log = logging.getLogger(__name__)


def keep_picture_id(known: OrderedDict[str, str], url: str, file_id: str) -> None:
    """Remember Telegram's file id of an uploaded picture, the oldest forgotten past KNOWN_PICTURES."""
    known[url] = file_id
    known.move_to_end(url)
    while len(known) > KNOWN_PICTURES:
        known.popitem(last=False)


async def send_story_details(
    bot: Bot, services: Services, chat_id: int, story_key: int, messages: list[str], keyboard: InlineKeyboardMarkup | None
) -> None:
    """The story's details, as a photo with them as caption when the story has a picture and they fit 1,024 characters."""
    if len(messages) == 1 and render.visible_length(messages[0]) <= CAPTION_LIMIT:
        url = lead_image_url(services.store, story_key)
        if url is not None and await _send_photo(bot, services, chat_id, url, messages[0], keyboard):
            return
    await send_messages(bot, chat_id, messages, keyboard)


async def _send_photo(
    bot: Bot, services: Services, chat_id: int, url: str, caption: str, keyboard: InlineKeyboardMarkup | None
) -> bool:
    """True when the photo went; False (logged) when the picture could not be had or Telegram refused it."""
    known = services.picture_ids
    photo: str | InputFile | None = known.get(url)
    if photo is None:
        try:
            picture = await asyncio.to_thread(fetch_picture, url, FetchLimits.from_settings(services.settings))
        except FetchError as error:
            log.info("story picture not shown: %s", error)
            return False
        except Exception:  # whatever else breaks on a picture, the reader still gets the story
            log.warning("story picture %s not shown: unexpected error", url, exc_info=True)
            return False
        photo = InputFile(picture.data, filename=picture.filename)
    try:
        message = await bot.send_photo(chat_id, photo, caption=caption, reply_markup=keyboard)
    except (BadRequest, NetworkError) as error:
        # BadRequest is a NetworkError in python-telegram-bot. Forbidden (the chat blocked the bot) is not caught:
        # the text would meet the same answer.
        log.info("story picture %s not taken by Telegram: %s", url, error)
        known.pop(url, None)
        return False
    if message.photo:
        keep_picture_id(known, url, message.photo[-1].file_id)
    return True
