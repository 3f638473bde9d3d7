"""A chat's saved searches as the subscription commands use them: saved with a clear answer, listed, taken away."""

from __future__ import annotations

from telegram import Update

from bot.query import parse_query
from bot.searches import MAX_CHARS, MAX_SEARCHES, MAX_TERMS, SAMPLE, matches_too_much, parse_search
from bot.store import (
    SavedSearch,
    TooManySearches,
    add_search,
    chat_searches,
    get_subscriber,
    remove_search,
    search_share,
    update_subscriber,
)
from handlers import render
from handlers.services import BotContext, Services
from handlers.subscribing import ensure_chat, schedule_note
from handlers.translations import IN_ENGLISH, N_, Translator

LIMITS = N_("at most {searches} searches a chat, {terms} words and {chars} characters each")


def command_text(update: Update) -> str:
    """The whole text after the command: quotes and spacing as typed, not cut at a length."""
    message = update.effective_message.text or ""
    parts = message.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def quoted(label: str, limit: int = 60, t: Translator = IN_ENGLISH) -> str:
    """The words in the chat's quotation marks (“words”, «слова»), clipped and escaped for Telegram HTML."""
    return t.gettext("“{label}”", label=render.escape(render.clip(label, limit)))


def limits(t: Translator = IN_ENGLISH) -> str:
    """What a chat may save, in its language."""
    return t.gettext(LIMITS, searches=MAX_SEARCHES, terms=MAX_TERMS, chars=MAX_CHARS)


async def save_search(update: Update, context: BotContext, text: str) -> None:
    """/subscribe <words> that are no topic: the words become this chat's saved search, or the answer says why not."""
    found = context.services
    t = context.translator
    request = parse_search(text)
    if request.refusal:
        await update.effective_message.reply_html(
            t.gettext(
                "I can't follow {label} every morning: it {reason}. "
                "A saved search is words to find, e.g. <code>/subscribe grain exports</code> ({limits}); /topics lists my topics.",
                label=quoted(request.label, 40, t), reason=t.gettext(request.refusal, chars=MAX_CHARS, terms=MAX_TERMS, count=request.query.size),
                limits=limits(t),
            )
        )
        return
    matching, read = search_share(found.store, request.query, SAMPLE)
    if matches_too_much(matching, read):
        await update.effective_message.reply_html(
            t.ngettext(
                "{label} is in {n} of the {read} newest articles: every morning it would bring "
                "nearly all the news. Add a word that narrows it, e.g. <code>/subscribe grain exports</code>, or try /latest.",
                "{label} is in {n} of the {read} newest articles: every morning it would bring "
                "nearly all the news. Add a word that narrows it, e.g. <code>/subscribe grain exports</code>, or try /latest.",
                matching, label=quoted(request.label, 40, t), read=read,
            )
        )
        return
    chat_id = update.effective_chat.id
    ensure_chat(found, update.effective_chat, language=t.code)
    key = _saved_key(found, chat_id, request.key)
    try:
        added = add_search(found.store, chat_id, key, request.label, limit=MAX_SEARCHES, now=found.now())
    except TooManySearches:
        await update.effective_message.reply_html(
            t.gettext(
                "This chat has {most} saved searches, the most I keep. /subscriptions lists them; "
                "<code>/unsubscribe</code> one of them to make room.",
                most=MAX_SEARCHES,
            )
        )
        return
    subscriber = get_subscriber(found.store, chat_id)
    assert subscriber is not None
    if not subscriber.active:
        subscriber = update_subscriber(found.store, chat_id, active=True) or subscriber
    if not added:
        await update.effective_message.reply_html(
            t.gettext(
                "You already get {label} every morning, {when}.",
                label=quoted(request.label, t=t), when=render.escape(schedule_note(found, subscriber, t)),
            )
        )
        return
    one = len(request.query.words) + len(request.query.phrases) == 1
    leaves_out = bool(request.query.excluded_words or request.query.excluded_phrases)
    if not matching:
        seen = t.gettext("Nothing stored has these words yet: the morning briefing brings them when they come.")
    elif one and leaves_out:
        seen = t.ngettext(
            "{n} of the {read} newest articles has it and none of the words left out.",
            "{n} of the {read} newest articles have it and none of the words left out.",
            matching, read=read,
        )
    elif one:
        seen = t.ngettext("{n} of the {read} newest articles has it.", "{n} of the {read} newest articles have it.", matching, read=read)
    elif leaves_out:
        seen = t.ngettext(
            "{n} of the {read} newest articles has all these words and none of the words left out.",
            "{n} of the {read} newest articles have all these words and none of the words left out.",
            matching, read=read,
        )
    else:
        seen = t.ngettext(
            "{n} of the {read} newest articles has all these words.", "{n} of the {read} newest articles have all these words.",
            matching, read=read,
        )
    await update.effective_message.reply_html(
        t.gettext(
            "🔎 Every morning, the news on {label} {when}. {seen}\n"
            "Saved search {count} of {most} (a search finds stories with every word and “phrase” and no -word, as /brief does; "
            "{limits}). /subscriptions lists them; /unsubscribe {words} stops it.",
            label=quoted(request.label, t=t), when=render.escape(schedule_note(found, subscriber, t)), seen=seen,
            count=len(subscriber.searches), most=MAX_SEARCHES, limits=limits(t), words=render.escape(render.clip(request.label, 60)),
        )
    )


def drop_search(context: BotContext, chat_id: int, text: str) -> SavedSearch | None:
    """Take the saved search these words name away; what it was, None when the chat has no such search."""
    key = parse_search(text).key
    return remove_search(context.services.store, chat_id, _saved_key(context.services, chat_id, key)) if key else None


def _saved_key(found: Services, chat_id: int, key: str) -> str:
    """The key under which the chat keeps the search `key` names: a search saved before keys were normalised
    ("grain exports" in the order typed) is the same search as its normalised key ("exports grain")."""
    for saved in chat_searches(found.store, chat_id):
        if saved.key != key and parse_query(saved.key).key == key:
            return saved.key
    return key


def searches_of(context: BotContext, chat_id: int) -> list[SavedSearch]:
    """The chat's saved searches, oldest first."""
    return chat_searches(context.services.store, chat_id)


def listed(searches: list[SavedSearch], t: Translator = IN_ENGLISH) -> str:
    """“grain exports”, “solar tariffs”: the searches as the chat typed them, in the chat's quotation marks."""
    return ", ".join(quoted(search.label, 40, t) for search in searches)
