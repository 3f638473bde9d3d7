"""Upkeep of what is stored: topic scores redone when the topics change, analyses redone when the text layer does."""

from __future__ import annotations

from collections.abc import Callable

from bot.ingest.prepare import ALGORITHM, SUMMARY_SENTENCES, analysis_version
from bot.signatures import signature
from bot.store import (
    Store,
    count_stale_analyses,
    get_setting,
    iter_article_sources,
    replace_analysis,
    set_setting,
    set_topic_scores,
)
from bot.topics import Topics
from summaries.analysis import analyze
from summaries.article import Article

TOPICS_DIGEST_KEY = "topics_digest"


def ensure_topic_scores(store: Store, topics: Topics, progress: Callable[[int], None] | None = None) -> int:
    """Rescore every stored article when the topics (or their scoring) changed; returns how many were rescored."""
    if get_setting(store, TOPICS_DIGEST_KEY) == topics.digest:
        return 0
    count = rescore_topics(store, topics, progress)
    set_setting(store, TOPICS_DIGEST_KEY, topics.digest)
    return count


def rescore_topics(store: Store, topics: Topics, progress: Callable[[int], None] | None = None) -> int:
    """Recompute the topic scores of every stored article."""
    count = 0
    batch: dict[int, dict[str, float]] = {}
    for article in iter_article_sources(store):
        batch[article.id] = topics.scores(article.title, article.cleaned_text)
        if len(batch) >= 500:
            set_topic_scores(store, batch)
            count += len(batch)
            batch = {}
            if progress:
                progress(count)
    set_topic_scores(store, batch)
    count += len(batch)
    if progress:
        progress(count)
    return count


def stale_count(store: Store) -> int:
    """How many stored analyses were made by another version of the text layer."""
    return count_stale_analyses(store, analysis_version())


def reanalyze(
    store: Store, topics: Topics, *, everything: bool = False, progress: Callable[[int], None] | None = None
) -> int:
    """Analyse stored articles again from their original text: the stale ones, or all of them."""
    version = analysis_version()
    count = 0
    for source in iter_article_sources(store, stale_version=None if everything else version):
        analysis = analyze(Article(text=source.text, title=source.title, language=source.language), SUMMARY_SENTENCES, ALGORITHM)
        replace_analysis(
            store,
            source.id,
            analysis,
            version=version,
            topic_scores=topics.scores(source.title, analysis.cleaned.text),
            signature=signature(analysis.cleaned.text),
            algorithm=ALGORITHM,
        )
        count += 1
        if progress:
            progress(count)
    return count
