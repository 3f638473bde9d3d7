"""A story's summary from all its articles: the central sentences across outlets, each said once, updates first.

A story is several reports of one event, by several outlets, over time. Its
summary is extractive: sentences of the reports, each carrying the article and
outlet it came from (`StorySentence`). The rules follow how news is written:

1. The lead of each report carries its event, so only the first sentences of
   each article are candidates, with the article's own extractive summary when
   it is known (its best sentences, already chosen at ingest). A sentence's
   place in its report is a prior that halves about every two sentences.
2. A fact several reports state is central: a candidate's support is the sum,
   over the other articles, of its best cosine (tf-idf of content-word stems)
   with that article's candidates. Another outlet counts fully, a further report
   of the sentence's own outlet (an update, a rewrite) half. Cosine with the
   story's centroid adds the topic's weight for the story's earliest days,
   when few reports exist to agree.
3. A later report's figure supersedes an earlier one: when a newer sentence
   restates an older one (they share most of their content words, numbers
   left out, by Dice's coefficient: the event, the place, the source stay, the
   verb and the figure change) with other figures ("the toll has risen to 19"
   after "killing at least 12"), the older sentence leaves the candidates and
   the newer inherits its score, so the fact keeps its centrality and is told
   with its newest figure.
4. The choice is greedy by score; a sentence that tells a fact already chosen
   is skipped: close in tf-idf cosine, most of its content words already
   there, or the same figure (not a year) with a share of the same words,
   since a figure is the fingerprint of the fact another outlet words anew.

The order of the returned sentences is what a reader should read first: the
chosen sentences that superseded an older figure come first, newest first;
then the others, most central (highest score) first. A single-article story
comes back in the article's own order, and when that article's own summary is
known, that summary is the story's (as the briefing shows it today).

Bounded work: similarities are quadratic in the candidates, so the candidates
are capped (`max_candidates`, spread evenly over the articles, the newest
articles first when there are more articles than the cap); each article's text
is split only as far as its lead reaches. A story of 500 articles costs a few
hundred candidates, not its tens of thousands of sentences.

Pure: the articles come in as arguments, the dates are theirs; no clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from summaries.cleaning import is_chrome_sentence
from summaries.language import detect_language, stop_words
from summaries.sentences import split_sentences
from summaries.text import CONNECTIVE_START, ENDS_SENTENCE, PRONOUN_START, stem, words

__all__ = ["StoryArticle", "StorySentence", "StorySummarizer", "new_since", "summarize_story"]


@dataclass(frozen=True)
class StoryArticle:
    """One outlet's article of a story, as the story summariser reads it."""

    id: int
    title: str
    text: str  # cleaned article text (sentences are split here with summaries.sentences)
    outlet: str
    published_at: datetime
    summary: tuple[str, ...] = ()  # the article's own extractive summary, if known


@dataclass(frozen=True)
class StorySentence:
    """A sentence of a story's summary, with the article and outlet it comes from."""

    text: str
    article_id: int
    outlet: str
    published_at: datetime


_NUMBER = re.compile(r"(?<![\w.,-])\d+(?:[.,]\d+)*")
# Times of day are not figures either ("14:52", "23:49:56", "1852 UTC").
_TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{4}\s*(?:UTC|GMT)\b")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A day of the month is a date, not a figure ("December 26", "7 July", "the 7th of July").
_DAY_OF_MONTH = re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?!\w)", re.I)
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "dozen": "12"})
_QUOTED = re.compile(r"[\"“«„][^\"“”«»„]{1,2000}[\"”»“]")
_SPACE = re.compile(r"\s+")
# A lead reaches this many characters a sentence at most, for the prefix of the text that is split.
_CHARS_PER_LEAD_SENTENCE = 600


@dataclass
class _Candidate:
    text: str
    article: int  # index into the articles, newest first
    position: int  # place among the article's sentences (0 = its first)
    in_summary: bool
    terms: dict[str, int]
    numbers: frozenset[str]
    word_count: int
    fingerprints: frozenset[str] = frozenset()  # its figures that are neither years nor the story's own (see _fingerprint)
    key: str = ""  # the text as compared for identity (_key), worked out once

    def __post_init__(self) -> None:
        if not self.key:
            self.key = _key(self.text)


class StorySummarizer:
    """Lead prior x support across reports x centrality; newer figures supersede older; no repeats."""

    # Candidates: quadratic similarity work is capped here (see the module docstring).
    max_candidates = 400
    lead_sentences = 6  # at most this many first sentences of an article (fewer when the story is large)
    # Scores.
    position_weight = 1.0
    position_decay = 0.35  # the prior halves about every two sentences: news puts the event first
    support_weight = 1.0  # the share of the other reports that state the same fact
    support_floor = 0.2  # a cosine below this is a shared topic word, not a shared fact
    same_outlet_support = 0.5  # an outlet repeating itself is weaker evidence than another outlet
    centrality_weight = 0.5
    summary_bonus = 0.2  # the article's own summariser chose this sentence
    recency_weight = 0.1  # the newest report carries the story's latest state
    pronoun_penalty = 0.5  # out of its report, a sentence leaning on the one before it reads wrong
    connective_penalty = 0.2
    quotation_penalty = 0.35
    question_penalty = 0.2
    short_penalty = 0.6
    min_words = 7
    max_words = 60
    # Choice.
    redundancy = 0.5  # cosine at which two sentences tell the same fact
    contained = 0.7  # share of the shorter sentence's content words in the other that makes it a repeat
    same_figure_contained = 0.3  # the same, when the two state the same figure
    supersede_overlap = 0.5  # Dice overlap of content words at which a newer sentence restates an older one

    def __call__(self, articles: Sequence[StoryArticle], sentences: int = 3, *, words: int | None = None) -> list[StorySentence]:
        if not articles or (words is None and sentences <= 0) or (words is not None and words <= 0):
            return []
        ordered = sorted(articles, key=lambda article: (_instant(article.published_at), article.id), reverse=True)
        stops = stop_words(detect_language(" ".join(f"{article.title}. {article.text[:1000]}" for article in ordered[:5])))
        if len(ordered) == 1 and ordered[0].summary:
            own = [_story_sentence(text, ordered[0]) for text in ordered[0].summary if text.strip()]
            return _within(own, sentences, words)
        candidates = self._candidates(ordered, stops)
        if not candidates:
            return []
        _fingerprint(candidates)
        similarity, overlap, shared = _similarities(candidates)
        scores = self._scores(candidates, similarity, ordered)
        alive, updates = self._supersede(candidates, shared, scores, ordered)
        chosen = self._choose(candidates, similarity, overlap, scores, alive, sentences, words)
        if len(ordered) == 1:
            chosen.sort(key=lambda index: candidates[index].position)
        else:
            # Updates first, newest first; then the most central first.
            chosen.sort(key=lambda index: (0, candidates[index].article) if index in updates else (1, -scores[index]))
        return [_story_sentence(candidates[index].text, ordered[candidates[index].article]) for index in chosen]

    def _candidates(self, ordered: Sequence[StoryArticle], stops: frozenset[str]) -> list[_Candidate]:
        """The lead sentences and own-summary sentences of each article, at most `max_candidates` in all."""
        per_article = max(1, min(self.lead_sentences, self.max_candidates // len(ordered)))
        candidates: list[_Candidate] = []
        for article_index, article in enumerate(ordered[: self.max_candidates]):
            limit = (per_article + 4) * _CHARS_PER_LEAD_SENTENCE
            split = [sentence.text for sentence in split_sentences(article.text[:limit])]
            if len(article.text) > limit and split:
                split.pop()  # the prefix cut it
            own = {_key(text) for text in article.summary}
            keys = [_key(text) for text in split]
            places: dict[str, int] = {}
            for place, key in enumerate(keys):
                places.setdefault(key, place)
            chosen: dict[str, tuple[int, str, bool]] = {}
            for text in article.summary:
                if text.strip():
                    # Its place in the text when the split prefix holds it, else after everything split.
                    key = _key(text)
                    chosen.setdefault(key, (places.get(key, len(split)), text.strip(), True))
            # The lead's sentences that can stand alone, read only until enough are chosen (the test runs the
            # cleaning patterns); when none can, the lead as it is.
            standing = 0
            for position, text in enumerate(split):
                if len(chosen) >= per_article:
                    break
                if self._can_stand_alone(text):
                    standing += 1
                    chosen.setdefault(keys[position], (position, text, keys[position] in own))
            if not standing and len(chosen) < per_article:
                for position, text in enumerate(split):
                    if len(chosen) >= per_article:
                        break
                    chosen.setdefault(keys[position], (position, text, keys[position] in own))
            for position, text, in_summary in sorted(chosen.values())[:per_article]:
                tokens = words(text)
                candidates.append(
                    _Candidate(
                        text=text,
                        article=article_index,
                        position=position,
                        in_summary=in_summary,
                        terms=_terms(tokens, stops),
                        numbers=_numbers(text),
                        word_count=len(text.split()),
                    )
                )
        return candidates

    def _scores(self, candidates: list[_Candidate], similarity: np.ndarray, ordered: Sequence[StoryArticle]) -> np.ndarray:
        count = len(candidates)
        articles = np.array([candidate.article for candidate in candidates])
        reporting = sorted(set(articles.tolist()))
        # best[i, a]: the best cosine of candidate i with a sentence of article a (its own article left out).
        supported = np.where(similarity >= self.support_floor, similarity, 0.0)
        best = np.zeros((count, len(reporting)))
        for column, article in enumerate(reporting):
            best[:, column] = supported[:, articles == article].max(axis=1)
        outlet_ids: dict[str, int] = {}
        outlet_of = np.array([outlet_ids.setdefault(ordered[candidate.article].outlet, len(outlet_ids)) for candidate in candidates])
        reporting_outlet = np.array([outlet_ids[ordered[article].outlet] for article in reporting])
        weights = np.where(outlet_of[:, None] == reporting_outlet[None, :], self.same_outlet_support, 1.0)
        weights[articles[:, None] == np.array(reporting)[None, :]] = 0.0
        others = weights.sum(axis=1)
        support = np.divide((best * weights).sum(axis=1), others, out=np.zeros(count), where=others > 0)
        centrality = _centrality(similarity)
        newest_first = len(ordered) - 1
        scores = np.zeros(count)
        for index, candidate in enumerate(candidates):
            score = self.position_weight * math.exp(-self.position_decay * candidate.position)
            score += self.support_weight * support[index] + self.centrality_weight * centrality[index]
            if candidate.in_summary:
                score += self.summary_bonus
            if newest_first:
                score += self.recency_weight * (1 - candidate.article / newest_first)
            score -= self._form_penalty(candidate)
            scores[index] = score
        return scores

    def _supersede(
        self, candidates: list[_Candidate], shared: np.ndarray, scores: np.ndarray, ordered: Sequence[StoryArticle]
    ) -> tuple[list[int], set[int]]:
        """Drop each sentence a newer one updates with other figures; the newest heir inherits its score."""
        instants = [_instant(ordered[candidate.article].published_at) for candidate in candidates]
        heirs: dict[int, int] = {}
        for older, candidate in enumerate(candidates):
            if not candidate.numbers:
                continue
            best: int | None = None
            for newer, other in enumerate(candidates):
                if (
                    instants[newer] > instants[older]
                    and other.numbers - candidate.numbers
                    and shared[older, newer] >= self.supersede_overlap
                    and (best is None or (instants[newer], scores[newer]) > (instants[best], scores[best]))
                ):
                    best = newer
            if best is not None:
                heirs[older] = best
        # Oldest first, so a chain (80, then 100, then 120) hands its score on to the newest figure.
        for older in sorted(heirs, key=lambda index: instants[index]):
            heir = heirs[older]
            scores[heir] = max(scores[heir], scores[older])
        alive = [index for index in range(len(candidates)) if index not in heirs]
        updates = {heir for heir in heirs.values() if heir not in heirs}
        return alive, updates

    def _choose(
        self,
        candidates: list[_Candidate],
        similarity: np.ndarray,
        overlap: np.ndarray,
        scores: np.ndarray,
        alive: list[int],
        sentences: int,
        budget: int | None,
    ) -> list[int]:
        order = sorted(alive, key=lambda index: (-scores[index], candidates[index].article, candidates[index].position))
        chosen: list[int] = []
        used = 0
        for index in order:
            if budget is None and len(chosen) >= sentences:
                break
            candidate = candidates[index]
            if budget is not None and used + candidate.word_count > budget:
                continue
            if any(self._repeats(candidate, candidates[other], similarity[index, other], overlap[index, other]) for other in chosen):
                continue
            chosen.append(index)
            used += candidate.word_count
        return chosen

    def _repeats(self, candidate: _Candidate, chosen: _Candidate, cosine: float, overlap: float) -> bool:
        if candidate.key == chosen.key or cosine >= self.redundancy or overlap >= self.contained:
            return True
        # The same figure with some of the same words is the same fact, unless the sentence brings a figure of its
        # own: "the toll from Tuesday's 6.1 quake rose to 14" is news beside "a 6.1 quake struck on Tuesday".
        news = _figures(candidate.numbers) - _figures(chosen.numbers)
        return overlap >= self.same_figure_contained and bool(candidate.fingerprints & chosen.fingerprints) and not news

    def _can_stand_alone(self, text: str) -> bool:
        stripped = text.strip()
        count = len(words(stripped))
        if count < 4 or stripped.endswith(":") or is_chrome_sentence(stripped):
            return False
        return bool(ENDS_SENTENCE.search(stripped)) or count >= 12

    def _form_penalty(self, candidate: _Candidate) -> float:
        text = candidate.text
        penalty = 0.0
        if candidate.word_count < self.min_words:
            penalty += self.short_penalty * (self.min_words - candidate.word_count) / self.min_words
        elif candidate.word_count > self.max_words:
            penalty += self.short_penalty * min(1.0, (candidate.word_count - self.max_words) / self.max_words) / 3
        if text.rstrip("\"”’') ").endswith("?"):
            penalty += self.question_penalty
        quoted = sum(len(match.group(0)) for match in _QUOTED.finditer(text))
        penalty += self.quotation_penalty * min(1.0, quoted / max(1, len(text)))
        if candidate.position > 0 and PRONOUN_START.match(text):
            penalty += self.pronoun_penalty
        if candidate.position > 0 and CONNECTIVE_START.match(text):
            penalty += self.connective_penalty
        return penalty


def summarize_story(articles: Sequence[StoryArticle], sentences: int = 3, *, words: int | None = None) -> list[StorySentence]:
    """A story's summary with the default tunables: `sentences` sentences, or at most `words` words."""
    return StorySummarizer()(articles, sentences, words=words)


# Near-paraphrase for `new_since`: the repeat rules of the summariser's choice, on content-word overlap.
SHOWN_CONTAINED = StorySummarizer.contained
SHOWN_SAME_FIGURE = StorySummarizer.same_figure_contained


def new_since(summary: Sequence[StorySentence], shown: Sequence[str]) -> list[StorySentence]:
    """The sentences of a story's summary that say something the chat was not shown (novel against `shown`, the sentences it saw before; same words or near-paraphrase counts as shown)."""
    stops = stop_words(detect_language(" ".join([*(sentence.text for sentence in summary), *shown])))
    seen = [(_key(text), _terms(words(text), stops), _numbers(text)) for text in shown]
    novel: list[StorySentence] = []
    for sentence in summary:
        key, terms, numbers = _key(sentence.text), _terms(words(sentence.text), stops), _numbers(sentence.text)
        if not any(_told(key, terms, numbers, *told) for told in seen):
            novel.append(sentence)
    return novel


def _told(key: str, terms: dict[str, int], numbers: frozenset[str], seen_key: str, seen_terms: dict[str, int], seen_numbers: frozenset[str]) -> bool:
    """True when a sentence tells nothing a sentence seen before did not: a new figure is news."""
    if key == seen_key:
        return True
    if _figures(numbers) - _figures(seen_numbers):
        return False
    overlap = _overlap(terms, seen_terms)
    return overlap >= SHOWN_CONTAINED or (overlap >= SHOWN_SAME_FIGURE and bool(_figures(numbers) & _figures(seen_numbers)))


def _within(sentences: list[StorySentence], count: int, budget: int | None) -> list[StorySentence]:
    if budget is None:
        return sentences[: max(0, count)]
    kept, used = [], 0
    for sentence in sentences:
        size = len(sentence.text.split())
        if used + size <= budget:
            kept.append(sentence)
            used += size
    return kept


def _story_sentence(text: str, article: StoryArticle) -> StorySentence:
    return StorySentence(text=text.strip(), article_id=article.id, outlet=article.outlet, published_at=article.published_at)


def _instant(moment: datetime) -> datetime:
    """A comparable instant: a naive time is taken as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def _key(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def _terms(tokens: Sequence[str], stops: frozenset[str]) -> dict[str, int]:
    """Content-word stems and their counts: stop words, digits and number words left out."""
    bag: dict[str, int] = {}
    for token in tokens:
        lowered = token.lower()
        if lowered in stops or lowered in _NUMBER_WORDS or any(char.isdigit() for char in token):
            continue
        term = stem(lowered)
        bag[term] = bag.get(term, 0) + 1
    return bag


def _numbers(text: str) -> frozenset[str]:
    """The figures a sentence states ("80,000" and "80000" alike, "fifteen" as "15"; days of a month, times of day and names like "A330" left out)."""
    found = {match.group(0).replace(",", "") for match in _NUMBER.finditer(_TIME_OF_DAY.sub(" ", _DAY_OF_MONTH.sub(" ", text)))}
    found.update(_NUMBER_WORDS[token.lower()] for token in words(text) if token.lower() in _NUMBER_WORDS)
    return frozenset(found)


def _overlap(terms: dict[str, int], other: dict[str, int]) -> float:
    """Share of the shorter sentence's content words found in the other."""
    if not terms or not other:
        return 0.0
    shorter, longer = (terms, other) if len(terms) <= len(other) else (other, terms)
    return sum(1 for term in shorter if term in longer) / len(shorter)


def _fingerprint(candidates: Sequence[_Candidate]) -> None:
    """Mark the figures that tell one fact of the story from another.

    A figure most reports repeat (Flight 447, the 15 sailors, a 7.0 quake) names
    the story itself; one in few reports ("about 80 passengers") names a fact.
    """
    reports: dict[str, set[int]] = {}
    for candidate in candidates:
        for figure in _figures(candidate.numbers):
            reports.setdefault(figure, set()).add(candidate.article)
    articles = len({candidate.article for candidate in candidates})
    story_own = {figure for figure, where in reports.items() if len(where) >= max(3, articles / 3)}
    for candidate in candidates:
        candidate.fingerprints = _figures(candidate.numbers) - story_own


def _figures(numbers: frozenset[str]) -> frozenset[str]:
    """The figures that tell one fact from another: years are shared by every report of a story."""
    return frozenset(number for number in numbers if not (len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100))


def _similarities(candidates: Sequence[_Candidate]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three likenesses of every pair of candidates, over content-word stems.

    Cosine of tf-idf vectors (1 + log tf, log(1 + N/df)); the share of the
    shorter one's words found in the other; Dice's coefficient of the two
    word sets (the share both have, which a short sentence cannot reach by
    being contained in a long one).
    """
    vocabulary: dict[str, int] = {}
    for candidate in candidates:
        for term in candidate.terms:
            vocabulary.setdefault(term, len(vocabulary))
    count = len(candidates)
    matrix = np.zeros((count, max(1, len(vocabulary))), dtype=np.float64)
    for row, candidate in enumerate(candidates):
        for term, frequency in candidate.terms.items():
            matrix[row, vocabulary[term]] = 1 + math.log(frequency)
    documents = np.count_nonzero(matrix, axis=0)
    matrix *= np.log1p(count / np.maximum(documents, 1))
    norms = np.linalg.norm(matrix, axis=1)
    present = (matrix > 0).astype(np.float64)
    matrix = np.divide(matrix, norms[:, None], out=np.zeros_like(matrix), where=norms[:, None] > 0)
    sizes = present.sum(axis=1)
    shorter = np.minimum(sizes[:, None], sizes[None, :])
    common = present @ present.T
    overlap = np.divide(common, shorter, out=np.zeros((count, count)), where=shorter > 0)
    both = sizes[:, None] + sizes[None, :]
    dice = np.divide(2 * common, both, out=np.zeros((count, count)), where=both > 0)
    return matrix @ matrix.T, overlap, dice


def _centrality(similarity: np.ndarray) -> np.ndarray:
    """Each candidate's closeness to the centroid of the others, scaled so the most central has 1.

    With unit vectors, a sentence's dot product with the sum of the others is
    its cosine with their centroid times that centroid's length (the same for
    every sentence up to its own part), so the row sums rank by centroid cosine.
    """
    count = similarity.shape[0]
    if count < 2:
        return np.zeros(count)
    closeness = similarity.sum(axis=1) - np.diag(similarity)
    top = closeness.max()
    return closeness / top if top > 0 else np.zeros(count)
