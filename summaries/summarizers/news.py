"""The default summariser for news: the lead's strength, corrected by content and form.

News puts what matters first, so a position prior carries most of the score.
It is combined with how central a sentence is to the article (cosine with the
article's word centroid, linear in the article's length) and with its overlap
with the title; sentences that cannot stand alone in a summary (furniture, a
bare quotation, a question, an unresolved pronoun, a fragment, a caption-like
line) lose weight, and a sentence too close to one already chosen is skipped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from summaries.article import Sentence
from summaries.cleaning import is_chrome_sentence
from summaries.language import stop_words
from summaries.text import CONNECTIVE_START, ENDS_SENTENCE, PRONOUN_START, stem, words

_QUOTED = re.compile(r"[\"“«„][^\"“”«»„]{1,2000}[\"”»“]|(?<!\w)'\s[^']{1,2000}\s'(?!\w)")
_OPENS_WITH_QUOTE = re.compile(r"^\s*[\"“«„']")
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")


class NewsSummarizer:
    """Position prior x centrality x title overlap, with penalties for what cannot stand alone."""

    position_weight = 1.0
    position_decay = 0.28
    centrality_weight = 0.6
    title_weight = 0.3
    pronoun_penalty = 0.35
    connective_penalty = 0.15
    quotation_penalty = 0.35
    question_penalty = 0.15
    short_penalty = 0.6
    long_penalty = 0.2
    redundancy = 0.55
    min_words = 7
    max_words = 55

    def __call__(self, sentences: Sequence[Sentence], count: int, title: str = "", language: str = "english") -> list[Sentence]:
        if count <= 0 or not sentences:
            return []
        stops = stop_words(language)
        tokens = [words(sentence.text) for sentence in sentences]
        bags = [_bag(sentence_tokens, stops) for sentence_tokens in tokens]
        eligible = [index for index, sentence in enumerate(sentences) if self._can_stand_alone(sentence.text, len(tokens[index]))]
        if len(eligible) < min(count, len(sentences)):
            # Too little passes the filters (a two-line note, a list): fall back to all.
            eligible = list(range(len(sentences)))
        weights = _inverse_frequencies([bags[index] for index in eligible])
        vectors = {index: _weighted(bags[index], weights) for index in eligible}
        centroid: Counter[str] = Counter()
        for vector in vectors.values():
            centroid.update(vector)
        centroid_norm_sq = sum(weight * weight for weight in centroid.values())
        title_vector = _weighted(_bag(words(title), stops), weights) if title.strip() else {}
        base: dict[int, float] = {}
        dependent: dict[int, float] = {}
        for rank, index in enumerate(eligible):
            vector = vectors[index]
            score = self.position_weight * math.exp(-self.position_decay * rank)
            score += self.centrality_weight * _cosine_with_rest(vector, centroid, centroid_norm_sq)
            if title_vector:
                score += self.title_weight * _cosine(vector, title_vector)
            score -= self._form_penalty(sentences[index].text, len(tokens[index]))
            base[index] = score
            dependent[index] = self._dependency_penalty(sentences[index].text) if rank > 0 else 0.0
        return [sentences[index] for index in sorted(self._select(base, dependent, bags, count))]

    def _select(self, base: dict[int, float], dependent: dict[int, float], bags: list[Counter[str]], count: int) -> list[int]:
        """Greedy choice by score, skipping near-duplicates, in O(n log n).

        A sentence leaning on the one before it ("But he said...") loses its
        penalty once that one is chosen; only the successors of chosen
        sentences can gain so, so they are the only ones re-examined.
        """
        order = sorted(base, key=lambda index: (-(base[index] - dependent[index]), index))
        chosen: list[int] = []
        taken: set[int] = set()
        pointer = 0
        while len(chosen) < count:
            while pointer < len(order) and order[pointer] in taken:
                pointer += 1
            options = [order[pointer]] if pointer < len(order) else []
            options += [index + 1 for index in chosen if index + 1 in base and index + 1 not in taken]
            if not options:
                break
            best = min(options, key=lambda index: (-(base[index] - (0.0 if index - 1 in chosen else dependent[index])), index))
            taken.add(best)
            if any(_overlap(bags[best], bags[other]) > self.redundancy for other in chosen):
                continue
            chosen.append(best)
        return chosen

    def _can_stand_alone(self, text: str, count: int) -> bool:
        stripped = text.strip()
        if count < 4 or stripped.endswith(":") or is_chrome_sentence(stripped, count):
            return False
        # A heading or a caption line: no sentence punctuation at all.
        return bool(ENDS_SENTENCE.search(stripped)) or count >= 12

    def _form_penalty(self, text: str, count: int) -> float:
        penalty = 0.0
        if count < self.min_words:
            penalty += self.short_penalty * (self.min_words - count) / self.min_words
        elif count > self.max_words:
            penalty += self.long_penalty * min(1.0, (count - self.max_words) / self.max_words)
        if text.rstrip("\"”’') ").endswith("?"):
            penalty += self.question_penalty
        penalty += self.quotation_penalty * _quoted_share(text)
        return penalty

    def _dependency_penalty(self, text: str) -> float:
        penalty = 0.0
        if PRONOUN_START.match(text):
            penalty += self.pronoun_penalty
        if CONNECTIVE_START.match(text):
            penalty += self.connective_penalty
        return penalty


def _bag(tokens: Sequence[str], stops: frozenset[str]) -> Counter[str]:
    return Counter(stem(token) for token in tokens if token.lower() not in stops and not token.isdigit())


def _inverse_frequencies(bags: Sequence[Counter[str]]) -> dict[str, float]:
    documents = Counter(term for bag in bags for term in bag)
    total = len(bags)
    return {term: math.log(1 + total / count) for term, count in documents.items()}


def _weighted(bag: Counter[str], weights: dict[str, float]) -> dict[str, float]:
    return {term: (1 + math.log(count)) * weights.get(term, math.log(2)) for term, count in bag.items()}


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(value * value for value in vector.values()))


def _cosine(left: dict[str, float], right: dict[str, float]) -> float:
    if not left or not right:
        return 0.0
    if len(left) > len(right):
        left, right = right, left
    dot = sum(value * right.get(term, 0.0) for term, value in left.items())
    denominator = _norm(left) * _norm(right)
    return dot / denominator if denominator else 0.0


def _cosine_with_rest(vector: dict[str, float], centroid: Counter[str], centroid_norm_sq: float) -> float:
    """Cosine of a sentence with the sum of the other sentences (itself left out).

    With c the sum of all and v the sentence: v.(c-v) = v.c - |v|^2 and
    |c-v|^2 = |c|^2 - 2 v.c + |v|^2, so one pass over the sentence's terms does it.
    """
    if not vector:
        return 0.0
    own = sum(value * value for value in vector.values())
    cross = sum(value * centroid[term] for term, value in vector.items())
    rest = max(centroid_norm_sq - 2 * cross + own, 0.0)
    denominator = math.sqrt(own * rest)
    return (cross - own) / denominator if denominator else 0.0


def _overlap(left: Counter[str], right: Counter[str]) -> float:
    """Share of the shorter sentence's content words found in the other."""
    if not left or not right:
        return 0.0
    smaller, larger = (left, right) if len(left) <= len(right) else (right, left)
    return sum(1 for term in smaller if term in larger) / len(smaller)


def _quoted_share(text: str) -> float:
    """How much of a sentence is inside quotation marks (1.0 for a bare quotation)."""
    if not any(mark in text for mark in "\"“«„'"):
        return 0.0  # every pattern below needs one of these marks
    quoted = sum(len(match.group(0)) for match in _QUOTED.finditer(text))
    if not quoted and _OPENS_WITH_QUOTE.match(text) and len(_QUOTE_MARKS.findall(text)) == 1:
        # An opening mark with no closing one: a quotation running over sentences.
        return 1.0
    return min(1.0, quoted / max(1, len(text)))
