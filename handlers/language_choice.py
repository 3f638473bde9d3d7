"""A chat's language as the handlers set it: the /language message with its buttons, and the choice stored."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.store import update_subscriber
from handlers import keyboards
from handlers.permissions import may_change_settings, refuse
from handlers.services import BotContext
from handlers.subscribing import ensure_chat
from handlers.translations import LANGUAGES, N_, Translator

log = logging.getLogger(__name__)

# What `/language <word>` accepts for each language, in lower case.
LANGUAGE_WORDS = {
    "en": "en", "eng": "en", "english": "en", "английский": "en", "англ": "en",
    "ru": "ru", "rus": "ru", "russian": "ru", "русский": "ru", "рус": "ru",
}
CHOSEN = N_("🌐 This chat's language is now {language}.")


def language_message(t: Translator) -> tuple[str, InlineKeyboardMarkup]:
    """/language alone: the chat's language, and a button for each language."""
    text = t.gettext(
        "🌐 This chat's language: <b>{language}</b>. Press a button, or send <code>/language en</code> or <code>/language ru</code>.",
        language=LANGUAGES[t.code],
    )
    return text, keyboards.language_keyboard(LANGUAGES)


def set_chat_language(context: BotContext, chat: Any, code: str) -> Translator:
    """Store the chat's language (its row made when new); the rest of the update is answered in it."""
    ensure_chat(context.services, chat, language=code)
    update_subscriber(context.services.store, chat.id, language=code)
    return context.use_language(code)


async def choose_language(update: Update, context: BotContext, code: str) -> None:
    """A /language button: set the chat's language (a group's administrators only) and redraw the message in it."""
    query = update.callback_query
    if code not in LANGUAGES:
        await query.answer(context.translator.gettext("This button has expired. Send the command again for a fresh briefing."))
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    t = set_chat_language(context, update.effective_chat, code)
    await query.answer(t.gettext(CHOSEN, language=LANGUAGES[code]))
    text, markup = language_message(t)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        log.debug("language message unchanged: %s", error)
