"""The terms an article is matched to a story by, and a story's bounded centroid of them.

News is written top down: the headline and the first sentences carry the event
(who, what, where, when); the rest is background that two different events of
one kind share. Names, places and numbers tell two such events apart (two
earthquakes, two takeovers), so they weigh more, and a run of capitalised words
also gives two-word name terms ("betty_ford") that a common word cannot fake.

A term is a stem (summaries.text.stem), a number as written ("6.1", "2013"), or
two adjacent name stems joined by "_" (word tokens never contain "_", so such a
key is always a name).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Mapping, Sequence

from summaries.language import detect_language, stop_words
from summaries.sentences import split_sentences
from summaries.text import stem, words

# The headline names the event in a few words: each of its words counts as much as three of the body's.
TITLE_WEIGHT = 3.0
# The lede (first sentences) answers who/what/where/when; later paragraphs drift into background.
LEAD_WEIGHT = 2.0
LEAD_SENTENCES = 2
BODY_WEIGHT = 1.0
# Names and places distinguish events of one kind; a capitalised word inside a sentence counts this much more.
NAME_WEIGHT = 2.0
# Only the opening of a long article is read: the event is stated early, and it bounds the work per article.
MAX_SENTENCES = 40
# A story's centroid keeps its heaviest terms only, so a long-running story stays a fixed size in the store.
CENTROID_TERMS = 150
# A story is found in the candidate index by this many terms: enough that a report worded differently
# still shares one, few enough that the index stays small.
INDEX_TERMS = 12
# Words of one or two letters are mostly initials and debris ("U", "S", "Mr").
MIN_LETTERS = 3
NAME_SEPARATOR = "_"

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_FOLD = str.maketrans({"’": "'"})


def article_terms(
    title: str, text: str, *, sentences: Sequence[str] | None = None, language: str | None = None
) -> dict[str, float]:
    """Weighted term frequencies of an article for story matching, summing to 1 (empty when it has none).

    `sentences` and `language`, when the caller has them already (the article's analysis), spare splitting
    and detecting again; they must be those of `text`.
    """
    language = language or detect_language(f"{title}\n{text}")
    stops = stop_words(language) or stop_words("english")
    weights: dict[str, float] = {}
    if sentences is None:
        sentences = [sentence.text for sentence in split_sentences(text)]
    sentences = list(sentences[:MAX_SENTENCES])
    # Each sentence is tokenised once: its names and its terms are read from the same tokens.
    tokenised = [words(sentence.translate(_FOLD)) for sentence in sentences]
    if title.strip():
        # A headline in Title Case tells nothing by its capitals: its names are those the body shows as names.
        title_tokens = words(title.translate(_FOLD))
        title_words = [word for word in title_tokens if word[:1].isalpha()]
        title_case = sum(word[:1].isupper() for word in title_words) > len(title_words) / 2
        body_names = {name for tokens in tokenised for name in _names(tokens, stops)} if title_case else None
        _add_section(weights, title, title_tokens, TITLE_WEIGHT, stops, body_names)
    for position, (sentence, tokens) in enumerate(zip(sentences, tokenised)):
        _add_section(weights, sentence, tokens, LEAD_WEIGHT if position < LEAD_SENTENCES else BODY_WEIGHT, stops, None)
    total = sum(weights.values())
    return {term: weight / total for term, weight in weights.items()} if total > 0 else {}


def merge_terms(centroid: Mapping[str, float], terms: Mapping[str, float], keep: int = CENTROID_TERMS) -> dict[str, float]:
    """The centroid after one more article: summed weights, only the `keep` heaviest terms kept (bounded size)."""
    merged = dict(centroid)
    for term, weight in terms.items():
        merged[term] = merged.get(term, 0.0) + weight
    if len(merged) <= keep:
        return merged
    # Heaviest first, the term itself breaking ties so the result never depends on insertion order.
    kept = heapq.nsmallest(keep, merged.items(), key=lambda item: (-item[1], item[0]))
    return dict(kept)


def index_terms(centroid: Mapping[str, float], idf: Callable[[str], float], count: int = INDEX_TERMS) -> list[str]:
    """The terms a story is found by in the candidate index (its heaviest by weight*idf)."""
    scored = ((-weight * idf(term), term) for term, weight in centroid.items() if weight > 0)
    return [term for _, term in heapq.nsmallest(count, scored)]


def is_name(term: str) -> bool:
    """True for a two-word name term."""
    return NAME_SEPARATOR in term


def is_number(term: str) -> bool:
    """True for a number term."""
    return term[:1].isdigit()


def _add_section(
    weights: dict[str, float], section: str, tokens: list[str], weight: float, stops: frozenset[str], names: set[str] | None
) -> None:
    """Add one sentence (or the headline) to the weights; `names` overrides what counts as a name."""
    get = weights.get
    named = weight * NAME_WEIGHT
    previous: str | None = None  # the name just before, for two-word name terms
    for position, token in enumerate(tokens):
        if not token[:1].isalpha() or len(token) < MIN_LETTERS or token.lower() in stops:
            previous = None
            continue
        key = stem(token)
        if names is not None:
            name = key in names
        else:
            # As _is_name_at, whose length and stop-word tests this token has passed already.
            name = token[0].isupper() and (position > 0 or _is_name_at(tokens, position, stops))
        if name:
            weights[key] = get(key, 0.0) + named
            if previous is not None:
                pair = previous + NAME_SEPARATOR + key
                weights[pair] = get(pair, 0.0) + named
            previous = key
        else:
            weights[key] = get(key, 0.0) + weight
            previous = None
    for number in _NUMBER.findall(section):
        weights[number] = get(number, 0.0) + weight


def _names(tokens: list[str], stops: frozenset[str]) -> set[str]:
    """Stems of the words a sentence writes as names (capitalised, not merely the sentence's first word)."""
    return {stem(token) for position, token in enumerate(tokens) if _is_name_at(tokens, position, stops)}


def _is_name_at(tokens: list[str], position: int, stops: frozenset[str]) -> bool:
    token = tokens[position]
    if not token[:1].isupper() or len(token) < MIN_LETTERS or token.lower() in stops:
        return False
    if position > 0:
        return True
    # The first word is capitalised anyway: a name only when another capitalised word follows ("Lindsay Lohan").
    following = tokens[1] if len(tokens) > 1 else ""
    return following[:1].isupper() and following.lower() not in stops

