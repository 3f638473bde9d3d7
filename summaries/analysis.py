"""One article in, everything the text layer knows about it out: done once, at ingest."""

from __future__ import annotations

from summaries.article import Analysis, Article
from summaries.cleaning import clean
from summaries.quotes import extract_quotes, rank_article_quotes
from summaries.sentences import split_sentences
from summaries.summarize import summarize_sentences


def analyze(article: Article, sentences: int | str = 3, algorithm: str = "news", *, quotes: bool = True) -> Analysis:
    """Clean, split, summarise and quote an article (quotes: all of them, the key ones first).

    `quotes=False` leaves quotations out (the benchmarks time the analysis with and without them).
    """
    cleaned = clean(article.text)
    split = tuple(split_sentences(cleaned.text))
    summary = summarize_sentences(split, article.title, sentences, algorithm, article.language)
    found = extract_quotes(cleaned.text, split) if quotes else []
    # The title and the summary say what the story is: a key quote speaks to it.
    story = [article.title, *(sentence.text for sentence in summary)]
    return Analysis(
        title=article.title,
        language=article.language,
        cleaned=cleaned,
        sentences=split,
        summary=tuple(summary),
        quotes=rank_article_quotes(found, story) if found else (),
    )
