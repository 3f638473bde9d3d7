"""A chat's mutes as the handlers use them: read for a briefing, listed with buttons (/mutes), taken away, a story hidden."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.mutes import MAX_MUTES, Mutes, story_key
from bot.store import TooManyMutes, add_mute, chat_mutes, remove_mute, remove_story_mutes
from handlers import briefings, keyboards, render
from handlers.permissions import may_change_settings, refuse
from handlers.services import BotContext, Services
from handlers.subscribing import ensure_chat
from handlers.translations import IN_ENGLISH, N_, Translator

log = logging.getLogger(__name__)

# Stories a chat may hide with the button, and how many of them /mutes lists with a button each.
MAX_HIDDEN_STORIES = 200
LISTED_STORIES = 10
NOTHING_MUTED = N_(
    "Nothing is muted in this chat. <code>/mute football</code> or <code>/mute \"Premier League\"</code> leaves out "
    "stories with those words; \"🔇 Mute story\" under a story hides that story."
)


def mutes_for(found: Services, chat_id: int) -> Mutes:
    """The chat's mutes, ready to test stories against (empty for a chat that has none)."""
    return Mutes.of(mute.key for mute in chat_mutes(found.store, chat_id))


def mutes_message(found: Services, chat_id: int, t: Translator = IN_ENGLISH) -> tuple[str, InlineKeyboardMarkup | None]:
    """/mutes: what the chat muted, with a button each to take it away."""
    mutes = chat_mutes(found.store, chat_id)
    words = [mute for mute in mutes if mute.story_id is None]
    stories = [mute for mute in mutes if mute.story_id is not None]
    if not mutes:
        return t.gettext(NOTHING_MUTED), None
    lines = []
    if words:
        lines.append("🔇 " + t.gettext("<b>Muted words</b> ({count} of {most})", count=len(words), most=MAX_MUTES))
        lines.extend(f"• {render.escape(render.clip(mute.label, 60))}" for mute in words)
        lines.append(t.gettext("Stories with these words in the headline, summary or key quote are left out of this chat's briefings."))
    if stories:
        if lines:
            lines.append("")
        lines.append("👁 " + t.gettext("<b>Hidden stories</b> ({count})", count=len(stories)))
        lines.extend(f"• {render.escape(render.clip(mute.label, 60))}" for mute in stories[-LISTED_STORIES:])
        if len(stories) > LISTED_STORIES:
            lines.append(t.gettext("… and {count} more.", count=len(stories) - LISTED_STORIES))
    lines.append("\n" + t.gettext("Press a button to take a mute away."))
    markup = keyboards.mutes_keyboard(
        [(mute.id, render.clip(mute.label, 40)) for mute in words],
        [(mute.id, render.clip(mute.label, 40)) for mute in stories[-LISTED_STORIES:]],
        len(stories),
        t,
    )
    return "\n".join(lines), markup


async def unmute(update: Update, context: BotContext, mute_id: int | None, *, every_story: bool = False) -> None:
    """A /mutes button: take one mute away (or show every hidden story again), and redraw the list."""
    query = update.callback_query
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    chat_id = update.effective_chat.id
    store = context.services.store
    t = context.translator
    if every_story:
        count = remove_story_mutes(store, chat_id)
        back = t.ngettext("{n} hidden story is back in your briefings.", "{n} hidden stories are back in your briefings.", count)
        await query.answer(back if count else t.gettext("No story is hidden."))
    else:
        removed = remove_mute(store, chat_id, mute_id) if mute_id is not None else None
        if removed is None:
            await query.answer(t.gettext("That was unmuted already."))
        else:
            await query.answer(t.gettext("Unmuted: {label}", label=removed.label)[:200])
    text, markup = mutes_message(context.services, chat_id, t)
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        log.debug("mutes list unchanged: %s", error)


async def mute_story(update: Update, context: BotContext, key: int | None) -> None:
    """'🔇 Mute story': this story, and every later report of it, is left out of the chat's briefings."""
    query = update.callback_query
    if not await may_change_settings(update, context):
        await refuse(update, context)
        return
    t = context.translator
    story = briefings.find_story(context.services.store, key, context.services.now()) if key is not None and key > 0 else None
    if story is None:
        await query.answer(t.gettext("That story is no longer available."))
        return
    chat_id = update.effective_chat.id
    ensure_chat(context.services, update.effective_chat, language=t.code)
    try:
        add_mute(
            context.services.store, chat_id, story_key(story.key), story.headline, story_id=story.key,
            limit=MAX_HIDDEN_STORIES, now=context.services.now(),
        )
    except TooManyMutes:
        await query.answer(
            t.gettext("You have hidden {count} stories, the most I keep: /mutes shows them again.", count=MAX_HIDDEN_STORIES), show_alert=True
        )
        return
    await query.answer(t.gettext("🔇 Hidden: this story and its later reports stay out of your briefings. /mutes undoes it."))
    try:
        await query.edit_message_reply_markup(keyboards.without_mute_story_button(query.message.reply_markup))
    except BadRequest as error:
        log.debug("keyboard unchanged: %s", error)
