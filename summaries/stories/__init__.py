"""One event is one story: the terms an article is matched by, the matching rule, and an online clusterer."""

from __future__ import annotations

from summaries.stories.clusterer import DocumentFrequencies, StoryClusterer
from summaries.stories.matching import WINDOW, Candidate, centroid_norm, choose_story, evidence, norm_is_stale, similarity
from summaries.stories.terms import CENTROID_TERMS, INDEX_TERMS, article_terms, index_terms, merge_terms

__all__ = [
    "CENTROID_TERMS",
    "INDEX_TERMS",
    "WINDOW",
    "Candidate",
    "DocumentFrequencies",
    "StoryClusterer",
    "article_terms",
    "centroid_norm",
    "choose_story",
    "evidence",
    "index_terms",
    "merge_terms",
    "norm_is_stale",
    "similarity",
]
