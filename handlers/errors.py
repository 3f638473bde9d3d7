"""The error handler: log with the update, report to the operator's chat, tell the user something went wrong, never raise."""

from __future__ import annotations

import html
import json
import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError

from handlers.error_reports import report_to_operator
from handlers.services import BotContext
from handlers.translations import N_

log = logging.getLogger(__name__)

SORRY = N_("Sorry, something went wrong on my side. Please try again in a moment.")


async def error_handler(update: object, context: BotContext) -> None:
    """Log the error with the update that caused it, report it to ERROR_CHAT_ID, and apologise to the chat."""
    summary = update.to_dict() if isinstance(update, Update) else str(update)
    log.error("while handling update %s", json.dumps(summary, default=str)[:2000], exc_info=context.error)
    await report_to_operator(update, context)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the chat blocked the bot: there is no one to tell
    try:
        sorry = _sorry(context)
        if update.callback_query is not None:
            await update.callback_query.answer(sorry[:200], show_alert=False)
        elif not isinstance(context.error, NetworkError):
            await context.bot.send_message(update.effective_chat.id, html.escape(sorry))
    except Exception:  # noqa: BLE001 - the apology itself failed; the log above has the cause
        log.warning("could not tell chat %s about the error", update.effective_chat.id, exc_info=True)


def _sorry(context: BotContext) -> str:
    """The apology in the chat's language; in English when even the language cannot be read (the store is down)."""
    try:
        return context.translator.gettext(SORRY)
    except Exception:  # noqa: BLE001 - the error being handled may be the store's
        return SORRY
