"""Online story clustering in memory, by the rules the store uses (summaries.stories.matching).

Each article is matched first and counted in the document frequencies after:
the idf it is judged by is that of the articles already there, as in the store,
where the match is made before the article's row (and its df) is written.

Candidates come from an inverted index term -> stories, filled with each
story's index_terms; an article looks up its own heaviest terms there, so an
insert examines a bounded number of stories however many are stored. A story
quiet for longer than the window before the newest article seen leaves the
index (it can no longer be joined by an article arriving in order).

An article with no terms (empty, or only stop words) becomes a story of its own
that nothing joins: every article is in exactly one story.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from summaries.stories.matching import WINDOW, Candidate, centroid_norm, choose_story, norm_is_stale
from summaries.stories.terms import CENTROID_TERMS, INDEX_TERMS, article_terms, index_terms, merge_terms


class DocumentFrequencies:
    """How many articles contain each term, and the smoothed idf from that."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, terms: Iterable[str]) -> None:
        """Count one more article with these (distinct) terms."""
        self.documents += 1
        for term in set(terms):
            self.counts[term] += 1

    def idf(self, term: str) -> float:
        """log((N+1)/(df+1)) + 1: never zero, highest for a term not seen yet."""
        return math.log((self.documents + 1) / (self.counts.get(term, 0) + 1)) + 1.0


@dataclass
class _Story:
    """A story as the clusterer keeps it."""

    centroid: dict[str, float]
    articles: list[int]
    last_published_at: datetime
    indexed: list[str] = field(default_factory=list)
    # The centroid's idf-weighted length and the number of articles counted when it was worked out.
    norm: float | None = None
    norm_documents: int = 0

    def length(self, frequencies: DocumentFrequencies) -> float:
        """The centroid's length, worked out again when the story grew or the counts moved on (norm_is_stale)."""
        if self.norm is None or norm_is_stale(self.norm_documents, frequencies.documents):
            self.norm, self.norm_documents = centroid_norm(self.centroid, frequencies.idf), frequencies.documents
        return self.norm


class StoryClusterer:
    """Online clustering in memory: add(article_id, title, text, published_at) -> story id."""

    # An article looks itself up by this many of its heaviest terms (weight*idf), as a story is indexed by its own.
    query_terms = INDEX_TERMS
    # Of the stories sharing a term, only the most recently grown are looked at: a term in very many
    # live stories is no evidence of one event, and this bounds the work of one insert.
    postings_per_term = 64
    # Stories scored per insert, those sharing the most looked-up terms first. 8 gives the same stories as 16
    # on ecbplus-dev (file order and 5 shuffles), TAC and bbc-100, for half the scoring.
    max_candidates = 8
    centroid_terms = CENTROID_TERMS

    def __init__(self, window: timedelta = WINDOW, frequencies: DocumentFrequencies | None = None) -> None:
        self.window = window
        self.frequencies = frequencies if frequencies is not None else DocumentFrequencies()
        self.stories: dict[int, _Story] = {}
        self.story_of: dict[int, int] = {}
        # term -> story ids, oldest growth first (dicts keep insertion order; a grown story moves to the end).
        self.index: dict[str, dict[int, None]] = defaultdict(dict)
        self.last_candidates = 0
        self._newest: datetime | None = None

    def add(self, article_id: int, title: str, text: str, published_at: datetime) -> int:
        """The story the article joins or starts (its id)."""
        terms = article_terms(title, text)
        return self.add_terms(article_id, terms, published_at)

    def add_terms(self, article_id: int, terms: Mapping[str, float], published_at: datetime) -> int:
        """As add(), from terms already computed."""
        if self._newest is None or published_at > self._newest:
            self._newest = published_at
        idf = self.frequencies.idf
        candidates = self.candidates(terms)
        self.last_candidates = len(candidates)
        story_id = choose_story(
            terms, published_at, candidates, idf, window=self.window,
            length=lambda candidate: self.stories[candidate.story_id].length(self.frequencies),
        )
        if story_id is None:
            story_id = len(self.stories) + 1
            self.stories[story_id] = _Story({}, [], published_at)
        story = self.stories[story_id]
        story.articles.append(article_id)
        story.centroid = merge_terms(story.centroid, terms, self.centroid_terms)
        story.norm = None
        story.last_published_at = max(story.last_published_at, published_at)
        self.story_of[article_id] = story_id
        self.frequencies.add(terms)
        self._reindex(story_id, story)
        return story_id

    def candidates(self, terms: Mapping[str, float]) -> list[Candidate]:
        """The stories sharing the most of the article's heaviest terms, at most max_candidates."""
        if not terms:
            return []
        shared: dict[int, int] = defaultdict(int)
        for term in index_terms(terms, self.frequencies.idf, self.query_terms):
            postings = self.index.get(term)
            if not postings:
                continue
            for story_id in self._live(term, postings):
                shared[story_id] += 1
        ranked = sorted(shared, key=lambda story_id: (-shared[story_id], story_id))[: self.max_candidates]
        return [
            Candidate(story_id, story.centroid, len(story.articles), story.last_published_at)
            for story_id in ranked
            for story in (self.stories[story_id],)
        ]

    def clusters(self) -> list[list[int]]:
        """The article ids of each story, in story order."""
        return [list(story.articles) for _, story in sorted(self.stories.items())]

    def _live(self, term: str, postings: dict[int, None]) -> list[int]:
        """The most recently grown stories of a posting list; those quiet for longer than the window leave it."""
        assert self._newest is not None
        cutoff = self._newest - self.window
        # The oldest growth is first: stale stories are dropped from the front.
        while postings:
            oldest = next(iter(postings))
            story = self.stories[oldest]
            if story.last_published_at >= cutoff:
                break
            del postings[oldest]
            story.indexed = [kept for kept in story.indexed if kept != term]
        found: list[int] = []
        for story_id in reversed(postings):
            if len(found) >= self.postings_per_term:
                break
            if self.stories[story_id].last_published_at >= cutoff:
                found.append(story_id)
        return found

    def _reindex(self, story_id: int, story: _Story) -> None:
        for term in story.indexed:
            postings = self.index.get(term)
            if postings is not None:
                postings.pop(story_id, None)
                if not postings:
                    del self.index[term]
        story.indexed = index_terms(story.centroid, self.frequencies.idf)
        for term in story.indexed:
            self.index[term][story_id] = None
