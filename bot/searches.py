"""Saved searches: a chat's own words as a morning topic (`/subscribe grain exports`).

A saved search is a /brief query kept for every morning, in the same query
language (bot/query.py): words (every one needed, any of them when no article
has all), "quoted phrases" (adjacent, in order) and -exclusions. Its key is the
normalised query (Query.key: words sorted, each once), so "grain exports",
"Grain, EXPORTS" and "exports grain" are one search, composed once per push for
every chat that has it, while a phrase keeps its order; its label is the text as
typed, what /subscriptions shows.

Which words are a search and which a typo of a topic: `/subscribe` first looks
the words up as a topic (name, command, alias or title); one unquoted word that
is none of them but a typo of one (Topics.misspelt: one edit, "sprot" or
"climat"; or two with the same letters, "sirya") gets "Did you mean"; anything
else ("grain", "chips", two words, any word in quotes) is a search.

Refused, saying why: no letters or digits (only emoji); only exclusions
(`-football`: nothing to find; /mute leaves words out of every briefing); only
common words (nearly every story has them, and PostgreSQL's index drops them, so
there the search would match nothing); more than MAX_TERMS words (a phrase's and
an exclusion's words counted) or MAX_CHARS characters. A search found in more than COMMON_SHARE of the SAMPLE
most recently stored articles (once at least MIN_SAMPLE are stored) is refused
as matching nearly everything.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from bot.query import Query, parse_query
from bot.topics import Topic, Topics
from bot.wording import N_
from summaries.language import stop_words

MAX_SEARCHES = 10
MAX_TERMS = 8
MAX_CHARS = 200
# "Matches nearly everything": more than this share of the newest SAMPLE stored articles, once MIN_SAMPLE are stored.
COMMON_SHARE = 0.5
SAMPLE = 500
MIN_SAMPLE = 50

_QUOTES = "\"“”«»„'‘’"
_STOPS = stop_words("english")


@dataclass(frozen=True)
class SearchRequest:
    """What `/subscribe <words>` asks to save: the key as matched and the words as typed, or why not.

    `refusal` is a catalogue message: its {chars} and {terms} are MAX_CHARS and MAX_TERMS, its {count} `query.size`.
    """

    key: str
    label: str
    refusal: str = ""
    query: Query = field(default_factory=Query)


def parse_search(text: str) -> SearchRequest:
    """A chat's words as a saved search, or the reason they cannot be one."""
    label = " ".join(unicodedata.normalize("NFKC", text).split())
    if len(label) > MAX_CHARS:
        return SearchRequest("", label[:MAX_CHARS], N_("is too long: a saved search is at most {chars} characters"))
    query = parse_query(label)
    if not query.size:
        return SearchRequest("", label, N_("has no letters or digits to search for"))
    if not query.positive:
        return SearchRequest(
            "", label, N_(
                "has only words to leave out (with a minus) and nothing to find: add a word, e.g. "
                "<code>/subscribe grain -wheat</code>, or use /mute <i>words</i> to leave stories out of every briefing"
            ),
        )
    if all(term in _STOPS for term in query.found_terms):
        return SearchRequest("", label, N_("is only common words, which nearly every story has"))
    if query.size > MAX_TERMS:
        return SearchRequest("", label, N_("has {count} words: a saved search is at most {terms}"), query=query)
    return SearchRequest(query.key, label, query=query)


def matches_too_much(matching: int, read: int) -> bool:
    """True when a search found `matching` of the `read` newest stored articles and that is nearly all the news."""
    return read >= MIN_SAMPLE and matching > COMMON_SHARE * read


def topic_typo(text: str, topics: Topics) -> list[Topic]:
    """The topics one unquoted word looks like a typo of (none for several words, or a quoted one)."""
    word = text.strip()
    if not word or any(char.isspace() for char in word) or any(char in _QUOTES for char in word):
        return []
    return topics.misspelt(word, 3)
