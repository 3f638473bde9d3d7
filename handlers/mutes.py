"""/mute words and /mutes: what a chat leaves out of its briefings and morning push."""

from __future__ import annotations

from telegram import Update

from bot.mutes import MAX_MUTES, MAX_WORDS, TOO_LONG, parse_mutes
from bot.store import TooManyMutes, add_mute
from handlers import render
from handlers.muting import mutes_message
from handlers.permissions import may_change_settings, refuse
from handlers.services import BotContext
from handlers.subscribing import ensure_chat
from handlers.translations import N_, Translator

# One /mute adds at most this many words and phrases, read from at most this many characters.
AT_ONCE = 10
MAX_CHARS = 1000
USAGE = N_(
    "Which words? e.g. <code>/mute football</code>, or <code>/mute \"Premier League\"</code> for a phrase "
    "(several at once: <code>/mute football cricket</code>). Whole words, any case; at most {words} words a phrase. "
    "/mutes lists what is muted."
)


async def mute_command(update: Update, context: BotContext) -> None:
    """/mute grain "Premier League": stories with these words are left out of this chat's briefings."""
    text = _arguments(update)
    t = context.translator
    if not text:
        await update.effective_message.reply_html(t.gettext(USAGE, words=MAX_WORDS))
        return
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    request = parse_mutes(text[:MAX_CHARS])
    if len(text) > MAX_CHARS or len(request.accepted) + len(request.refused) > AT_ONCE:
        await update.effective_message.reply_html(
            t.gettext("That is too much for one /mute: send up to {count} words or \"quoted phrases\" at a time.", count=AT_ONCE)
        )
        return
    found = context.services
    chat_id = update.effective_chat.id
    added: list[str] = []
    again: list[str] = []
    full = False
    if request.accepted:
        ensure_chat(found, update.effective_chat, language=t.code)
    for label, key in request.accepted:
        try:
            (added if add_mute(found.store, chat_id, key, label, limit=MAX_MUTES, now=found.now()) else again).append(label)
        except TooManyMutes:
            full = True
            break
    lines = []
    if added:
        lines.append(
            t.ngettext(
                "🔇 Muted: {listed}. Stories with it in the headline, summary or key quote "
                "are left out of this chat's briefings and morning push. /mutes lists them.",
                "🔇 Muted: {listed}. Stories with them in the headline, summary or key quote "
                "are left out of this chat's briefings and morning push. /mutes lists them.",
                len(added), listed=_listed(added, t),
            )
        )
    if again:
        lines.append(t.gettext("Already muted: {listed}.", listed=_listed(again, t)))
    for label, reason in request.refused:
        lines.append(
            t.gettext("Not muted: “{label}” {reason}.", label=render.escape(render.clip(label, 40)), reason=_reason(reason, t))
        )
    if full:
        lines.append(
            t.gettext("This chat has {count} muted words, the most I keep: /mutes lists them, with a button to take each away.", count=MAX_MUTES)
        )
    await update.effective_message.reply_html("\n".join(lines))


async def mutes_command(update: Update, context: BotContext) -> None:
    """/mutes: the chat's mutes, with a button each to take it away."""
    text, markup = mutes_message(context.services, update.effective_chat.id, context.translator)
    await update.effective_message.reply_html(text, reply_markup=markup)


def _arguments(update: Update) -> str:
    """The whole text after the command: quotes and spacing as typed, not cut at a word count."""
    message = update.effective_message.text or ""
    parts = message.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _reason(reason: str, t: Translator) -> str:
    """Why bot/mutes.py refused a part, in the chat's language (its reasons are catalogue messages)."""
    template = TOO_LONG if reason == TOO_LONG.format(words=MAX_WORDS) else reason
    return t.gettext(template, words=MAX_WORDS)


def _listed(labels: list[str], t: Translator) -> str:
    """The labels in the chat's quotation marks: “football”, «футбол»."""
    return ", ".join(t.gettext("“{label}”", label=render.escape(render.clip(label, 40))) for label in labels)
