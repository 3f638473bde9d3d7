"""Which story an article tells: idf-weighted cosine to each candidate's centroid, precision first.

A join needs three things: the story is recent (its last article within the
window), the article is close to its centroid (cosine at least JOIN_SIMILARITY),
and the two share a distinctive name or number (a two-word name such as
"betty_ford", or a number) — background vocabulary alone ("quake", "rehab",
"acquisition") never makes two events one. Of the stories that qualify the
closest wins; an exact tie goes to the oldest story (lowest id), so the answer
never depends on the order of the candidates. Stories are never merged with each
other: an article joins at most one, so two big stories stay two.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from summaries.stories.terms import is_name, is_number

# Reports of one event come out over days (follow-ups, reactions); after three quiet days a report is a new story.
WINDOW = timedelta(days=3)
# Cosine of idf-weighted term vectors from which an article tells the story's event. On ecbplus-dev 0.25
# scores a little higher F1, but bbc-100 (different stories) then shows more wrong merges: precision first.
JOIN_SIMILARITY = 0.3
# Shared distinctive terms a join needs (2 or 3 buys ecbplus-dev precision at a far larger cost in recall).
MIN_EVIDENCE = 1
# Similarities this close are a tie (float sums in another order must not change the answer).
TIE = 1e-9
# A story's centroid length (idf-weighted) is kept between articles, and worked out again when the story grows or
# the store has grown by this share since (idf then moves by log(1.01), a fraction of a percent of its value),
# or by NORM_REFRESH_ARTICLES in a young store.
NORM_REFRESH = 0.01
NORM_REFRESH_ARTICLES = 20


@dataclass(frozen=True)
class Candidate:
    """A story an article may join: its centroid, size and the time of its latest article."""

    story_id: int
    centroid: Mapping[str, float]
    articles: int
    last_published_at: datetime


def similarity(terms: Mapping[str, float], centroid: Mapping[str, float], idf: Callable[[str], float]) -> float:
    """Cosine of the idf-weighted term vectors of an article and a story centroid (0 when either is empty)."""
    return _Article(terms, idf).similarity(centroid)


def centroid_norm(centroid: Mapping[str, float], idf: Callable[[str], float]) -> float:
    """The idf-weighted length of a story centroid."""
    return math.sqrt(sum(weight * weight * idf(term) ** 2 for term, weight in centroid.items()))


def norm_is_stale(documents_then: int, documents_now: int) -> bool:
    """Whether a centroid length worked out with `documents_then` articles stored must be worked out again."""
    return documents_now - documents_then > max(documents_then * NORM_REFRESH, NORM_REFRESH_ARTICLES)


class _Article:
    """An article's side of the cosine, worked out once for all the candidates it is scored against."""

    def __init__(self, terms: Mapping[str, float], idf: Callable[[str], float]) -> None:
        self.terms = terms
        self.idf = idf
        self.squared = {term: idf(term) ** 2 for term in terms}
        self.norm = math.sqrt(sum(weight * weight * self.squared[term] for term, weight in terms.items()))
        # Names and numbers are few beside an article's words: the shared-evidence test reads only them.
        self.distinctive = _distinctive(terms)

    def evidence(self, centroid: Mapping[str, float]) -> list[str]:
        return [term for term in self.distinctive if term in centroid]

    def similarity(self, centroid: Mapping[str, float], norm: float | None = None) -> float:
        """The cosine with a centroid whose length (centroid_norm) is `norm`, worked out here when None."""
        if not self.terms or not centroid or self.norm <= 0:
            return 0.0
        if norm is None:
            norm = centroid_norm(centroid, self.idf)
        terms, squared = self.terms, self.squared
        dot = 0.0
        # Only the terms both share count, read from the smaller side.
        if len(terms) < len(centroid):
            for term, weight in terms.items():
                other = centroid.get(term)
                if other is not None:
                    dot += weight * other * squared[term]
        else:
            for term, weight in centroid.items():
                known = squared.get(term)
                if known is not None:
                    dot += weight * terms[term] * known
        return dot / (self.norm * norm) if dot > 0 and norm > 0 else 0.0


def evidence(terms: Mapping[str, float], centroid: Mapping[str, float]) -> list[str]:
    """The distinctive terms an article and a story share: two-word names and numbers (sorted)."""
    return [term for term in _distinctive(terms) if term in centroid]


def _distinctive(terms: Mapping[str, float]) -> list[str]:
    """An article's two-word names and numbers, sorted."""
    return sorted(term for term in terms if is_name(term) or is_number(term))


def choose_story(
    terms: Mapping[str, float],
    published_at: datetime,
    candidates: Sequence[Candidate],
    idf: Callable[[str], float],
    *,
    window: timedelta = WINDOW,
    length: Callable[[Candidate], float] | None = None,
) -> int | None:
    """The story the article joins, or None for a new story (precision first; ties go to the oldest story).

    `length` gives a candidate's kept centroid length (centroid_norm), asked only of candidates with a shared
    name or number; without it the length is worked out with the cosine.
    """
    if not terms:
        return None
    best: tuple[float, int] | None = None
    article = _Article(terms, idf)
    for candidate in candidates:
        if abs(published_at - candidate.last_published_at) > window:
            continue
        # The shared name or number first: it is cheap, and without it the similarity does not matter.
        if len(article.evidence(candidate.centroid)) < MIN_EVIDENCE:
            continue
        score = article.similarity(candidate.centroid, length(candidate) if length is not None else None)
        if score < JOIN_SIMILARITY:
            continue
        if best is None or score > best[0] + TIE or (abs(score - best[0]) <= TIE and candidate.story_id < best[1]):
            best = (score, candidate.story_id)
    return best[1] if best else None
