"""Inline mode: `@bot syria` in any chat offers the topic's stories; any other words search as /brief does.

Each result is one story (headline, summary, key quote, sources) posted as
Telegram HTML with link previews off. An empty query offers the latest stories.
Answers are cached per normalised query for INLINE_CACHE_SECONDS, by Telegram
(`cache_time`) and here (a bounded in-process cache), since clients send a query
per keystroke. The querier's chat is unknown to the bot, so no chat's mutes or
"already sent" marks apply: every querier with the same words gets the same
stories. A query that finds nothing (only common words, only emoji, or words
nowhere in the stored news) gets no results and a button that opens the bot.
Results are in the querier's language (their Telegram app's, `ru…` Russian, else English): the
cache keys each answer by language too.
"""

from __future__ import annotations

from time import monotonic

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import InlineQueryLimit, ParseMode

from handlers import briefings, render
from handlers.services import BotContext, Services
from handlers.translations import IN_ENGLISH, N_, Translator
from summaries.briefing import Briefing
from summaries.language import stop_words
from summaries.text import words

INLINE_CACHE_SECONDS = 60
# Answers kept in process at most (normalised queries), the oldest dropped first.
INLINE_CACHE_SIZE = 256
MAX_RESULTS = InlineQueryLimit.RESULTS  # 50, Telegram's limit
# The /start parameter of the button offered when nothing is found (t.me/bot?start=inline).
START_PARAMETER = "inline"
_COMMON = stop_words("english")
# Why a query is not searched (what why_unsearchable answers), and the button offered then, in the querier's language.
NO_WORDS = "has no words to search"
ONLY_COMMON = "is only common words"
_UNSEARCHABLE_BUTTONS = {
    NO_WORDS: N_("“{text}” has no words to search: open the bot"),
    ONLY_COMMON: N_("“{text}” is only common words: open the bot"),
}


def normalised(query: str) -> str:
    """The words of a query as the cache keys them: case-folded, single spaces, at most 256 characters."""
    return " ".join(query.casefold().split())[: InlineQueryLimit.MAX_QUERY_LENGTH]


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer `@bot words` with the stories of that topic or search, the latest for no words."""
    inline = update.inline_query
    if inline is None:
        return
    services = context.services
    t = context.translator
    key = normalised(inline.query)
    unsearchable = why_unsearchable(key)
    results = [] if unsearchable else cached_answer(services, key, t)
    if results is None:
        results = story_results(stories_for(services, key), t)
        keep_answer(services, key, results, t)
    button = None
    if not results:
        shown = render.clip(inline.query.strip(), 40)
        if unsearchable:
            text = t.gettext(_UNSEARCHABLE_BUTTONS[unsearchable], text=shown)
        else:
            text = t.gettext("No stories on “{text}”: open the bot", text=shown)
        button = InlineQueryResultsButton(text, start_parameter=START_PARAMETER)
    await inline.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False, button=button)


def why_unsearchable(query: str) -> str | None:
    """Why a query is not searched (no letters or digits, or only common words), None for one that is (or is empty)."""
    if not query:
        return None
    found = [word.casefold() for word in words(query)]
    if not found:
        return NO_WORDS
    if all(word in _COMMON for word in found):
        return ONLY_COMMON
    return None


def stories_for(services: Services, query: str) -> Briefing:
    """The briefing an inline query stands for: a topic's, a search's, or the latest; no chat's mutes."""
    now = services.now()
    if not query:
        return briefings.latest_briefing(services.store, now)
    topic = services.topics.find(query)
    if topic is not None:
        return briefings.topic_briefing(services.store, topic, now)
    return briefings.query_briefing(services.store, query, now)


def story_results(briefing: Briefing, t: Translator = IN_ENGLISH) -> list[InlineQueryResultArticle]:
    """A result per story, at most MAX_RESULTS; its message is the story alone, HTML, no link preview."""
    results = []
    for story in briefing.stories[:MAX_RESULTS]:
        text = render.render_shared_story(story, t)
        if render.visible_length(text) > render.MESSAGE_LIMIT:
            text = render.pack([text])[0]
        results.append(
            InlineQueryResultArticle(
                id=str(story.key),
                title=render.inline_title(story, t),
                description=render.inline_description(story, t),
                input_message_content=InputTextMessageContent(
                    text, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
                ),
            )
        )
    return results


def cached_answer(services: Services, key: str, t: Translator = IN_ENGLISH) -> list[InlineQueryResultArticle] | None:
    """The results made for this query in this language within INLINE_CACHE_SECONDS, else None."""
    kept = services.inline_answers.get(f"{t.code}:{key}")
    if kept is None:
        return None
    made, results = kept
    if monotonic() - made > INLINE_CACHE_SECONDS:
        services.inline_answers.pop(f"{t.code}:{key}", None)
        return None
    return results


def keep_answer(services: Services, key: str, results: list[InlineQueryResultArticle], t: Translator = IN_ENGLISH) -> None:
    """Remember the results for this query in this language, the oldest of INLINE_CACHE_SIZE forgotten."""
    key = f"{t.code}:{key}"
    services.inline_answers[key] = (monotonic(), results)
    services.inline_answers.move_to_end(key)
    while len(services.inline_answers) > INLINE_CACHE_SIZE:
        services.inline_answers.popitem(last=False)
