"""Key quotes: the quotations of a story worth a reader's time, each words said once.

A quotation's score weighs its substance (a full sentence over a fragment, enough
words to say something), who says it (a named person with a title over an
anonymous source, a source over nobody), and what it is about (the story's
terms, and the topic asked for). Scare quotes, titles and quotations nobody is
said to have spoken are never key. The same words carried by several outlets
count once, and a second quotation of the same speaker has to be better to win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from summaries.language import stop_words
from summaries.quotes.kinds import word_count
from summaries.quotes.lexicon import SUBJECT_PRONOUNS
from summaries.quotes.model import Quote
from summaries.text import stem

# Two quotations with this much of their words in common are the same quotation.
SAME_WORDS = 0.6
# The smaller quotation inside the larger one this much is the same quotation cut shorter.
CONTAINED = 0.8
DEFAULT_LIMIT = 5
ARTICLE_LIMIT = 4
MIN_WORDS = 4
# Below this score a quotation is not worth a digest line, however few others there are.
KEY_FLOOR = 0.4
# Words from which a quotation has said enough to be worth quoting.
SAYS_ENOUGH = 15
# Terms are cut to this many letters: "terrorist" and "terrorism" are one term.
_TERM_LETTERS = 7
# A second quotation by a speaker already in the digest counts this much of its score.
SAME_SPEAKER = 0.7
QUOTABLE = frozenset(("full", "partial"))
# A speaker taken from the sentence before (no cue) is this sure.
_INFERRED = 0.8
_WEIGHTS = {"substance": 0.35, "speaker": 0.3, "story": 0.15, "topic": 0.2}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STOP = stop_words("english")


def content_terms(text: str) -> set[str]:
    """Stems of the words of a text that carry meaning."""
    return _content_terms(_WORD.findall(text))


def _content_terms(words: list[str]) -> set[str]:
    terms = {_term(word) for word in words if len(word) > 2}
    terms.discard("")
    return terms


@lru_cache(maxsize=20000)
def _term(word: str) -> str:
    return "" if word.lower() in _STOP else stem(word)[:_TERM_LETTERS]


def substance(quote: Quote) -> float:
    """0..1: a full sentence of fifteen words or so says something; a fragment less so."""
    count = word_count(quote.text)
    if count < MIN_WORDS:
        return 0.0
    length = min(count, SAYS_ENOUGH) / SAYS_ENOUGH
    if count > 80:
        length *= 80 / count  # a long passage makes a poor digest line
    sentence = quote.text[:1].isupper() and quote.text.rstrip("'\"”’)").endswith((".", "!", "?"))
    form = 1.0 if quote.kind == "full" else 0.75
    return length * form * (1.0 if sentence or quote.kind == "full" else 0.85)


def standing(quote: Quote) -> float:
    """0..1: who speaks: a named person with a role, a name, an organisation or a description, a pronoun.

    A speaker inferred from the sentence before, with no cue of its own, counts for less.
    """
    if not quote.speaker:
        return 0.0
    if quote.speaker_name:
        value = 1.0 if quote.role else 0.85 if " " in quote.speaker_name else 0.75
    elif quote.speaker.lower() in SUBJECT_PRONOUNS:
        value = 0.3
    else:
        value = 0.5
    return value if quote.cue else value * _INFERRED


def relevance(quote: Quote, terms: set[str], own: set[str] | None = None) -> float:
    """0..1: how much of the quotation is about the story's terms (six of them shared is plenty).

    own, when given, is the quotation's own content terms (read once by the caller).
    """
    if not terms:
        return 0.0
    if own is None:
        own = content_terms(quote.text)
    if not own:
        return 0.0
    return min(1.0, len(own & terms) / min(len(own), 6))


def on_topic(quote: Quote, terms: set[str], own: set[str] | None = None) -> float:
    """0..1: whether the quotation speaks of the topic asked for (one of its terms is enough, two are sure)."""
    if not terms:
        return 0.0
    if own is None:
        own = content_terms(quote.text)
    return min(1.0, len(own & terms) / min(len(terms), 2))


def score_quote(quote: Quote, story_terms: set[str] | None = None, topic_terms: set[str] | None = None) -> float:
    """A quotation's key-quote score, 0..1 (0 for what can never be a key quote)."""
    return _score(quote, _Reading(quote.text), story_terms, topic_terms)


class _Reading:
    """A quotation's words, read at most once however many rules ask for them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: list[str] | None = None
        self._terms: set[str] | None = None

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = _WORD.findall(self.text)
        return self._words

    @property
    def terms(self) -> set[str]:
        """The content terms (content_terms of the text)."""
        if self._terms is None:
            self._terms = _content_terms(self.words)
        return self._terms

    @property
    def word_set(self) -> frozenset[str]:
        """The lower-cased words (what same_words compares)."""
        return frozenset(map(str.lower, self.words))


def _score(quote: Quote, reading: _Reading, story_terms: set[str] | None, topic_terms: set[str] | None) -> float:
    if quote.kind not in QUOTABLE or not quote.speaker:
        return 0.0
    body = substance(quote)
    if body == 0.0:
        return 0.0
    parts = {"substance": body, "speaker": standing(quote)}
    if story_terms:
        parts["story"] = relevance(quote, story_terms, reading.terms)
    if topic_terms:
        parts["topic"] = on_topic(quote, topic_terms, reading.terms)
    weight = sum(_WEIGHTS[name] for name in parts)
    return round(sum(_WEIGHTS[name] * value for name, value in parts.items()) / weight, 4)


def same_words(first: str, second: str) -> bool:
    """True when two quotations are the same words (one outlet's cut of another's counts too)."""
    return _same_word_sets(_word_set(first), _word_set(second))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(map(str.lower, _WORD.findall(text)))


def _same_word_sets(one: frozenset[str], two: frozenset[str]) -> bool:
    if not one or not two:
        return False
    shared = len(one & two)
    return shared / len(one | two) >= SAME_WORDS or shared / min(len(one), len(two)) >= CONTAINED


def key_quotes(
    quotes: Iterable[Quote],
    topic_terms: Sequence[str] = (),
    limit: int = DEFAULT_LIMIT,
    story_terms: Sequence[str] | str = (),
) -> list[Quote]:
    """The key quotes of one article or of a story's articles, best first, marked key and scored.

    quotes may be Quote objects or any dataclass with the same fields (the store's
    rows have them), so the briefing composer can rank stored quotations as they are.

    story_terms are words of the story (titles, summaries); without them the
    quotations' own common words stand for the story. Near-duplicates (the same
    words from several outlets) count once: the best-attributed copy is kept.
    """
    pool = list(quotes)
    readings = [_Reading(quote.text) for quote in pool]
    story = _terms(story_terms) if story_terms else _shared_terms(readings)
    topic = _terms(topic_terms)
    scores = [_score(quote, reading, story, topic) for quote, reading in zip(pool, readings)]
    return _choose(pool, scores, limit, readings)[0]


def rank_article_quotes(quotes: Sequence[Quote], story_terms: Sequence[str] | str = (), limit: int = ARTICLE_LIMIT) -> tuple[Quote, ...]:
    """All of an article's quotations, scored: the key ones first (best first), then the rest in document order."""
    readings = [_Reading(quote.text) for quote in quotes]
    story = _terms(story_terms) if story_terms else _shared_terms(readings)
    scores = [_score(quote, reading, story, None) for quote, reading in zip(quotes, readings)]
    key, picked = _choose(list(quotes), scores, limit, readings)
    rest = [replace(quote, score=score, key=False) for index, (quote, score) in enumerate(zip(quotes, scores)) if index not in picked]
    return (*key, *rest)


def _choose(quotes: list[Quote], scores: list[float], limit: int, readings: list[_Reading]) -> tuple[list[Quote], set[int]]:
    """Pick greedily: best score first, a speaker's second quotation discounted, repeats of chosen words dropped."""
    candidates = sorted(
        ((score, index, quote) for index, (score, quote) in enumerate(zip(scores, quotes)) if score >= KEY_FLOOR),
        key=lambda item: (-item[0], item[1]),
    )
    word_sets = {index: readings[index].word_set for _, index, _ in candidates}
    chosen: list[Quote] = []
    picked: set[int] = set()
    while candidates and len(chosen) < limit:
        best_at, best_value = 0, -1.0
        for at, (score, _, quote) in enumerate(candidates):
            repeats = sum(1 for other in chosen if _same_speaker(quote, other))
            value = score * SAME_SPEAKER**repeats
            if value > best_value:
                best_at, best_value = at, value
        score, index, quote = candidates.pop(best_at)
        chosen.append(replace(quote, score=score, key=True))
        picked.add(index)
        candidates = [item for item in candidates if not _same_word_sets(word_sets[item[1]], word_sets[index])]
    return chosen, picked


def _terms(words: Sequence[str] | str) -> set[str]:
    if isinstance(words, str):
        return content_terms(words)
    return content_terms(" ".join(words))


def _shared_terms(readings: Sequence[_Reading]) -> set[str]:
    """Terms two or more quotations share: what a story's quotations are about."""
    seen: dict[str, int] = {}
    for reading in readings:
        for term in reading.terms:
            seen[term] = seen.get(term, 0) + 1
    return {term for term, count in seen.items() if count >= 2}


def _same_speaker(first: Quote, second: Quote) -> bool:
    one = (first.speaker_name or first.speaker or "").lower()
    two = (second.speaker_name or second.speaker or "").lower()
    return bool(one) and one == two
