"""/language: the chat's language (English or Russian), shown with buttons or set with /language ru|en."""

from __future__ import annotations

from telegram import Update

from handlers import render
from handlers.language_choice import CHOSEN, LANGUAGE_WORDS, language_message, set_chat_language
from handlers.permissions import may_change_settings, refuse
from handlers.services import BotContext
from handlers.translations import LANGUAGES


async def language_command(update: Update, context: BotContext) -> None:
    """/language: show the chat's language with a button per language; /language ru|en sets it."""
    word = context.argument_text.lower()
    if not word:
        text, markup = language_message(context.translator)
        await update.effective_message.reply_html(text, reply_markup=markup)
        return
    code = LANGUAGE_WORDS.get(word)
    if code is None:
        await update.effective_message.reply_html(
            context.translator.gettext(
                "I can't write in “{word}”: send <code>/language en</code> for English or <code>/language ru</code> for Russian.",
                word=render.escape(render.clip(word, 40)),
            )
        )
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    t = set_chat_language(context, update.effective_chat, code)
    await update.effective_message.reply_html(t.gettext(CHOSEN, language=LANGUAGES[code]))
