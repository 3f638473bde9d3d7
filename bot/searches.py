"""Saved searches: a chat's own words as a morning topic (`/subscribe grain exports`).

A saved search is a /brief query kept for every morning, read as /brief reads
it (bot/store/search.py): letters and digits in any case, every word needed
(any of them when no article has all); quotes, `-`, `*`, `OR` and parentheses
are never operators. Its key is those terms in the order typed, each once, so
"Grain, EXPORTS" and "grain exports" are one search, composed once per push
for every chat that has it.

Which words are a search and which a typo of a topic: `/subscribe` first looks
the words up as a topic (name, command, alias or title); one unquoted word that
is none of them but a typo of one (Topics.misspelt: one edit, "sprot" or
"climat"; or two with the same letters, "sirya") gets "Did you mean"; anything
else ("grain", "chips", two words, any word in quotes) is a search.

Refused, saying why: no letters or digits (only emoji); only common words
(nearly every story has them, and PostgreSQL's index drops them, so there the
search would match nothing); a word written `-like-this` (it would be searched
for, not left out: /mute leaves words out); more than MAX_TERMS words or
MAX_CHARS characters. A search found in more than COMMON_SHARE of the SAMPLE
most recently stored articles (once at least MIN_SAMPLE are stored) is refused
as matching nearly everything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.store.search import search_terms
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

_EXCLUSION = re.compile(r"(?:^|\s)[-−–](?=[^\W_])")
_QUOTES = "\"“”«»„'‘’"
_STOPS = stop_words("english")


@dataclass(frozen=True)
class SearchRequest:
    """What `/subscribe <words>` asks to save: the key as matched and the words as typed, or why not.

    `refusal` is a catalogue message: its {chars} and {terms} are MAX_CHARS and MAX_TERMS, its {count} is `size`.
    """

    key: str
    label: str
    refusal: str = ""
    # The words counted, when they are too many (the refusal's {count}).
    size: int = 0


def parse_search(text: str) -> SearchRequest:
    """A chat's words as a saved search, or the reason they cannot be one."""
    label = " ".join(unicodedata.normalize("NFKC", text).split()).strip(_QUOTES + " ")
    if len(label) > MAX_CHARS:
        return SearchRequest("", label[:MAX_CHARS], N_("is too long: a saved search is at most {chars} characters"))
    terms = search_terms(label, limit=None)
    if not terms:
        return SearchRequest("", label, N_("has no letters or digits to search for"))
    if _EXCLUSION.search(label):
        return SearchRequest(
            "", label, N_(
                "has a word with a minus: a saved search finds every word it has, so it would look for that word, "
                "not leave it out (/mute <i>words</i> leaves stories out)"
            ),
        )
    if all(term in _STOPS for term in terms):
        return SearchRequest("", label, N_("is only common words, which nearly every story has"))
    if len(terms) > MAX_TERMS:
        return SearchRequest("", label, N_("has {count} words: a saved search is at most {terms}"), len(terms))
    return SearchRequest(" ".join(terms), label)


def matches_too_much(matching: int, read: int) -> bool:
    """True when a search found `matching` of the `read` newest stored articles and that is nearly all the news."""
    return read >= MIN_SAMPLE and matching > COMMON_SHARE * read


def topic_typo(text: str, topics: Topics) -> list[Topic]:
    """The topics one unquoted word looks like a typo of (none for several words, or a quoted one)."""
    word = text.strip()
    if not word or any(char.isspace() for char in word) or any(char in _QUOTES for char in word):
        return []
    return topics.misspelt(word, 3)
