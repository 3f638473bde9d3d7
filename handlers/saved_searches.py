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

LIMITS = f"at most {MAX_SEARCHES} searches a chat, {MAX_TERMS} words and {MAX_CHARS} characters each"


def command_text(update: Update) -> str:
    """The whole text after the command: quotes and spacing as typed, not cut at a length."""
    message = update.effective_message.text or ""
    parts = message.split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


def quoted(label: str, limit: int = 60) -> str:
    """“words”, clipped and escaped for Telegram HTML."""
    return f"“{render.escape(render.clip(label, limit))}”"


async def save_search(update: Update, context: BotContext, text: str) -> None:
    """/subscribe <words> that are no topic: the words become this chat's saved search, or the answer says why not."""
    found = context.services
    request = parse_search(text)
    if request.refusal:
        await update.effective_message.reply_html(
            f"I can't follow {quoted(request.label, 40)} every morning: it {request.refusal}. "
            f"A saved search is words to find, e.g. <code>/subscribe grain exports</code> ({LIMITS}); /topics lists my topics."
        )
        return
    matching, read = search_share(found.store, request.query, SAMPLE)
    if matches_too_much(matching, read):
        await update.effective_message.reply_html(
            f"{quoted(request.label, 40)} is in {matching} of the {read} newest articles: every morning it would bring "
            "nearly all the news. Add a word that narrows it, e.g. <code>/subscribe grain exports</code>, or try /latest."
        )
        return
    chat_id = update.effective_chat.id
    ensure_chat(found, update.effective_chat)
    key = _saved_key(found, chat_id, request.key)
    try:
        added = add_search(found.store, chat_id, key, request.label, limit=MAX_SEARCHES, now=found.now())
    except TooManySearches:
        await update.effective_message.reply_html(
            f"This chat has {MAX_SEARCHES} saved searches, the most I keep. /subscriptions lists them; "
            "<code>/unsubscribe</code> one of them to make room."
        )
        return
    subscriber = get_subscriber(found.store, chat_id)
    assert subscriber is not None
    if not subscriber.active:
        subscriber = update_subscriber(found.store, chat_id, active=True) or subscriber
    if not added:
        await update.effective_message.reply_html(
            f"You already get {quoted(request.label)} every morning, {render.escape(schedule_note(found, subscriber))}."
        )
        return
    found_parts = len(request.query.words) + len(request.query.phrases)
    seen = (
        f"{matching} of the {read} newest articles {'has' if matching == 1 else 'have'} "
        f"{'it' if found_parts == 1 else 'all these words'}"
        f"{' and none of the words left out' if request.query.excluded_words or request.query.excluded_phrases else ''}."
        if matching
        else "Nothing stored has these words yet: the morning briefing brings them when they come."
    )
    await update.effective_message.reply_html(
        f"🔎 Every morning, the news on {quoted(request.label)} {render.escape(schedule_note(found, subscriber))}. {seen}\n"
        f"Saved search {len(subscriber.searches)} of {MAX_SEARCHES} (a search finds stories with every word and “phrase” and no -word, as /brief does; "
        f"{LIMITS}). /subscriptions lists them; /unsubscribe {render.escape(render.clip(request.label, 60))} stops it."
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


def listed(searches: list[SavedSearch]) -> str:
    """“grain exports”, “solar tariffs”: the searches as the chat typed them."""
    return ", ".join(quoted(search.label, 40) for search in searches)
