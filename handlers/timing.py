"""Command latency: a handler first in line notes when an update arrived, one last in line observes the time per command."""

from __future__ import annotations

import time

from telegram import MessageEntity, Update
from telegram.ext import Application, CommandHandler

from handlers.services import BotContext

COMMANDS = "timing_commands"
# Labels for what is not a registered command (kept few: a label per unknown word would grow without end).
UNKNOWN = "unknown"
BUTTON = "button"


async def handling_started(update: Update, context: BotContext) -> None:
    """Note the moment the update reached the bot's handlers."""
    context.handling_started = time.perf_counter()


async def handling_finished(update: Update, context: BotContext) -> None:
    """Observe the seconds since handling_started under the update's command (only commands and button presses)."""
    started = context.handling_started
    if started is None:
        return
    label = command_label(update, known_commands(context.application))
    if label is not None:
        context.services.metrics.command_seconds.labels(command=label).observe(time.perf_counter() - started)


def command_label(update: Update, known: frozenset[str]) -> str | None:
    """The command an update carries ('syria' for /syria@NewsBot), UNKNOWN, BUTTON for a button press, None otherwise."""
    if update.callback_query is not None:
        return BUTTON
    message = update.effective_message
    if message is None or not message.text or not message.entities:
        return None
    first = message.entities[0]
    if first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    name = message.text[1 : first.length].split("@", 1)[0].lower()
    return name if name in known else UNKNOWN


def known_commands(application: Application) -> frozenset[str]:
    """Every command a CommandHandler of the application answers (worked out once)."""
    known = application.bot_data.get(COMMANDS)
    if known is None:
        known = frozenset(
            command for handlers in application.handlers.values() for handler in handlers if isinstance(handler, CommandHandler)
            for command in handler.commands
        )
        application.bot_data[COMMANDS] = known
    return known
