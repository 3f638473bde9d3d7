"""One article in, everything the text layer knows about it out: done once, at ingest."""

from __future__ import annotations

from summaries.article import Analysis, Article
from summaries.cleaning import clean
from summaries.quotes import extract_quotes, rank_article_quotes
from summaries.sentences import split_sentences
from summaries.summarize import summarize_sentences


def analyze(article: Article, sentences: int | str = 3, algorithm: str = "news") -> Analysis:
    """Clean, split, summarise and quote an article (quotes: all of them, the key ones first)."""
    cleaned = clean(article.text)
    split = tuple(split_sentences(cleaned.text))
    summary = summarize_sentences(split, article.title, sentences, algorithm, article.language)
    quotes = extract_quotes(cleaned.text, split)
    # The title and the summary say what the story is: a key quote speaks to it.
    story = [article.title, *(sentence.text for sentence in summary)]
    return Analysis(
        title=article.title,
        language=article.language,
        cleaned=cleaned,
        sentences=split,
        summary=tuple(summary),
        quotes=rank_article_quotes(quotes, story),
    )
