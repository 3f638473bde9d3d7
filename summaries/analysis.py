"""One article in, everything the text layer knows about it out: done once, at ingest."""

from __future__ import annotations

from summaries.article import Analysis, Article
from summaries.cleaning import clean
from summaries.sentences import split_sentences
from summaries.summarize import summarize_sentences


def analyze(article: Article, sentences: int | str = 3, algorithm: str = "news") -> Analysis:
    """Clean, split and summarise an article."""
    cleaned = clean(article.text)
    split = tuple(split_sentences(cleaned.text))
    summary = summarize_sentences(split, article.title, sentences, algorithm, article.language)
    return Analysis(
        title=article.title,
        language=article.language,
        cleaned=cleaned,
        sentences=split,
        summary=tuple(summary),
    )
