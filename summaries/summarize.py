"""Extractive summaries: N sentences (or N%) of an article, in document order."""

from __future__ import annotations

from collections.abc import Sequence

from summaries.article import Article, Sentence
from summaries.cleaning import clean
from summaries.sentences import split_sentences
from summaries.summarizers import ALGORITHMS, get_summarizer, items_count

__all__ = ["ALGORITHMS", "RANKED_SENTENCES", "summarize", "summarize_sentences"]

# Sentences ranked at most, the first ones: news puts what matters first, and each ranked sentence
# costs about 2 KB (the graph algorithms: an n x n matrix). The longest corpus article has 191.
RANKED_SENTENCES = 2_000


def summarize(article: Article, sentences: int | str = 3, algorithm: str = "news") -> list[Sentence]:
    """The summary sentences of an article (cleaned first), in document order."""
    split = split_sentences(clean(article.text).text)
    return summarize_sentences(split, article.title, sentences, algorithm, article.language)


def summarize_sentences(
    split: Sequence[Sentence], title: str = "", sentences: int | str = 3, algorithm: str = "news", language: str = "english"
) -> list[Sentence]:
    """The summary of sentences already split, in document order."""
    summarizer = get_summarizer(algorithm)
    return summarizer(split[:RANKED_SENTENCES], items_count(len(split), sentences), title, language)
