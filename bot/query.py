"""The query language of /brief, topic-free words and saved searches: words, "quoted phrases" and -exclusions.

    grain exports            every word needed (any of them when no article has all)
    "grain exports"          the words adjacent and in this order: a phrase
    Russia-Ukraine, U.S.     words joined by - . ' or / are a phrase of those words
    -wheat  -"Black Sea"     an article with this word or phrase is left out

Parsing never fails. Quotes may be " « » „ “ ”, any of them opening or closing a
phrase; a quote left open is read as closed at the end of the text. A minus
(-, − or –) excludes only at the start of a word or before a quote; inside a
phrase or a word it is punctuation, and alone it is nothing. Words are letters
and digits in any case (NFKC, casefolded); everything else is a separator, so
`*`, `^`, `:`, parentheses, NEAR, AND, OR and NOT are never operators
(`near(a` is the two words near and a). A quoted
phrase of one word is that word.

`Query.key` is the normalised text: the words in alphabetical order, then the
phrases, then the excluded words and phrases, each once, a phrase's words kept
in their order. Parsing a key gives the same query back, so "exports grain" and
"grain exports" are one saved search while "grain exports" and "exports grain"
in quotes are two.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

QUOTES = "\"«»„“”"
MINUSES = "-−–"
# Letters and digits: the words of a query.
_TERM = re.compile(r"[^\W_]+")
# Words joined by a hyphen, a full stop, an apostrophe or a slash, unquoted: one phrase (U.S., Russia-Ukraine, don't).
_JOINED = re.compile(r"[^\W_]+(?:[-‐‑–.'’/][^\W_]+)*")

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: required words, phrases (two words or more), excluded words and phrases, each sorted."""

    words: tuple[str, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    excluded_words: tuple[str, ...] = ()
    excluded_phrases: tuple[Phrase, ...] = ()

    @property
    def key(self) -> str:
        """The normalised text of the query, which parses back to this query."""
        parts = [*self.words, *(_quoted(phrase) for phrase in self.phrases)]
        parts += [f"-{word}" for word in self.excluded_words]
        parts += [f"-{_quoted(phrase)}" for phrase in self.excluded_phrases]
        return " ".join(parts)

    @property
    def positive(self) -> bool:
        """True when the query has something to find (a word or a phrase), not only exclusions."""
        return bool(self.words or self.phrases)

    @property
    def excludes(self) -> bool:
        """True when the query leaves something out (an excluded word or phrase)."""
        return bool(self.excluded_words or self.excluded_phrases)

    @property
    def found_terms(self) -> tuple[str, ...]:
        """Every word the query looks for (its words, then its phrases' words), each once: what a briefing stresses."""
        return tuple(dict.fromkeys([*self.words, *(word for phrase in self.phrases for word in phrase)]))

    @property
    def size(self) -> int:
        """How many words the query has, counting each word of a phrase and of an exclusion."""
        return (
            len(self.words) + sum(map(len, self.phrases)) + len(self.excluded_words) + sum(map(len, self.excluded_phrases))
        )

    def clipped(self, limit: int) -> Query:
        """The query with at most `limit` of each kind of part (the first in key order)."""
        return Query(self.words[:limit], self.phrases[:limit], self.excluded_words[:limit], self.excluded_phrases[:limit])


def parse_query(text: str) -> Query:
    """The query a user's text asks for; never fails (an open quote is closed at the end, a lone minus is nothing)."""
    words: set[str] = set()
    phrases: set[Phrase] = set()
    excluded_words: set[str] = set()
    excluded_phrases: set[Phrase] = set()
    for excluded, terms in _parts(_normalised(text)):
        if not terms:
            continue
        if len(terms) == 1:
            (excluded_words if excluded else words).add(terms[0])
        else:
            (excluded_phrases if excluded else phrases).add(terms)
    return Query(tuple(sorted(words)), tuple(sorted(phrases)), tuple(sorted(excluded_words)), tuple(sorted(excluded_phrases)))


def _normalised(text: str) -> str:
    # NFKC and casefolding can each undo the other's work: both again until the text stops changing (4 rounds at most).
    for _ in range(4):
        again = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
        if again == text:
            break
        text = again
    return text


def _parts(text: str) -> list[tuple[bool, Phrase]]:
    """(excluded, terms) of each word or quoted phrase of normalised text, in order."""
    parts: list[tuple[bool, Phrase]] = []
    at, end = 0, len(text)
    while at < end:
        char = text[at]
        if char.isspace():
            at += 1
            continue
        excluded = False
        if char in MINUSES:
            start = at
            while at < end and text[at] in MINUSES:
                at += 1
            if at == end or text[at].isspace():
                continue  # a lone minus is nothing
            following = text[at]
            if following in QUOTES or _TERM.match(following):
                excluded = True
            else:
                at = start + 1  # punctuation after a minus: not an exclusion, read on as a plain word
                continue
        if text[at] in QUOTES:
            close = next((index for index in range(at + 1, end) if text[index] in QUOTES), end)
            parts.append((excluded, tuple(_TERM.findall(text[at + 1 : close]))))
            at = close + 1
            continue
        stop = at
        while stop < end and not text[stop].isspace() and text[stop] not in QUOTES:
            stop += 1
        parts += [(excluded, tuple(_TERM.findall(chunk))) for chunk in _JOINED.findall(text[at:stop])]
        at = stop
    return parts


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase) + '"'
