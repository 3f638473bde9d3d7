"""Errors reported to the operator's chat (ERROR_CHAT_ID): short, escaped, without the token, at most one per interval.

python-telegram-bot's examples/errorhandlerbot.py sends the whole traceback and update to a developer
chat. A bot that fails on every update would send one such message per update and be limited by
Telegram for it, so here a report says what failed and where in a few lines, at most one goes out
every ERROR_REPORT_INTERVAL_SECONDS, and those held back are counted in the next ("and 12 more
errors since 08:01:10 UTC").
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from telegram import MessageEntity, Update

from bot.logs import RedactToken
from handlers import render
from handlers.services import BotContext

log = logging.getLogger(__name__)

ERROR_REPORTS = "error_reports"
_MESSAGE_CHARS = 600
_KIND_CHARS = 100


@dataclass
class ErrorReports:
    """When the last report went out and how many errors were held back since."""

    last_sent: datetime | None = None
    held_back: int = 0

    def due(self, now: datetime, interval: timedelta) -> bool:
        """True when a report may go out now; otherwise the error is counted for the next."""
        if self.last_sent is None or now - self.last_sent >= interval:
            return True
        self.held_back += 1
        return False


def update_kind(update: object, context: BotContext) -> str:
    """What was being handled, without anyone's text: 'command /syria in a private chat', 'callback_query', 'job push'."""
    if isinstance(update, Update):
        kind = next((name for name in Update.ALL_TYPES if getattr(update, name, None) is not None), "update")
        message = update.effective_message
        if message is not None and message.text and message.entities:
            first = message.entities[0]
            if first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
                kind = f"command {message.text[: first.length]}"
        chat = update.effective_chat
        if chat is not None:
            kind += f" in a {chat.type} chat"
        return kind
    if context.job is not None:
        return f"job {context.job.name}"
    return "no update" if update is None else type(update).__name__


def report_text(error: BaseException, kind: str, *, token: str | None, held_back: int = 0, since: datetime | None = None) -> str:
    """The report in Telegram HTML, under 4,096 characters, the token redacted from all of it."""
    redact = RedactToken([token]).redact
    message = render.clip(redact(str(error)), _MESSAGE_CHARS) or "(no message)"
    lines = [
        "⚠️ <b>newsbrief error</b>",
        f"<code>{render.escape(type(error).__name__)}</code>: {render.escape(message)}",
        f"while handling: {render.escape(render.clip(redact(kind), _KIND_CHARS))}",
    ]
    frames = traceback.extract_tb(error.__traceback__)
    if frames:
        last = frames[-1]
        lines.append(f"at {render.escape(redact(f'{Path(last.filename).name}:{last.lineno} in {last.name}'))}")
    if held_back:
        when = f" since {since:%H:%M:%S} UTC" if since is not None else ""
        lines.append(f"and {held_back} more error{'s' if held_back != 1 else ''}{when} (see the log)")
    return "\n".join(lines)


async def report_to_operator(update: object, context: BotContext) -> None:
    """Send the error to ERROR_CHAT_ID unless one went out within the interval; never raises."""
    try:
        services = context.services
        chat_id = services.settings.error_chat_id
        if chat_id is None or context.error is None:
            return
        reports: ErrorReports = context.bot_data.setdefault(ERROR_REPORTS, ErrorReports())
        now = services.now()
        if not reports.due(now, timedelta(seconds=services.settings.error_report_interval_seconds)):
            return
        text = report_text(
            context.error, update_kind(update, context), token=context.bot.token, held_back=reports.held_back, since=reports.last_sent
        )
        # Counted as sent before the send: a failing operator chat must not be retried on every error.
        reports.last_sent, reports.held_back = now, 0
        await context.bot.send_message(chat_id, text)
    except Exception:  # noqa: BLE001 - reporting an error must never raise one
        log.warning("could not report the error to the operator's chat", exc_info=True)
