"""Upkeep of what is stored: topic scores redone when the topics change, analyses when the text layer does,
stories when the rules that group articles into stories do."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from bot.config import Settings, get_settings
from bot.ingest.prepare import ALGORITHM, SUMMARY_SENTENCES, analysis_version
from bot.signatures import signature
from bot.ingest.story_summaries import refresh_story_summaries
from bot.store import (
    Store,
    article_count,
    count_stale_analyses,
    claim_setting,
    get_setting,
    iter_article_sources,
    open_store,
    regroup_stories,
    replace_analysis,
    set_setting,
    set_topic_scores,
)
from bot.topics import Topics, load_topics
from summaries.analysis import analyze
from summaries.article import Article

TOPICS_DIGEST_KEY = "topics_digest"
STORIES_VERSION_KEY = "stories_version"


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


@lru_cache(maxsize=1)
def stories_version() -> str:
    """A short hash of the story-grouping rules (summaries/stories): when they change, stored stories are regrouped."""
    import summaries.stories

    digest = hashlib.sha256()
    root = Path(summaries.stories.__file__).resolve().parent
    for file in sorted(root.glob("*.py")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def ensure_stories(store: Store, progress: Callable[[int], None] | None = None) -> int:
    """Regroup the stored articles into stories when the grouping rules changed (or never ran); returns how many stories.

    Otherwise it only makes the summaries still missing (a run stopped before it made them). Of processes
    starting at once, the one that claims the new version regroups; a regrouping cut short by a crash is
    finished with `newsbrief stories --rebuild`.
    """
    if not claim_setting(store, STORIES_VERSION_KEY, stories_version()):
        refresh_story_summaries(store)
        return 0
    return rebuild_stories(store, progress)


def rebuild_stories(store: Store, progress: Callable[[int], None] | None = None) -> int:
    """Group every stored article into stories again and make their summaries; returns how many stories there are."""
    count = regroup_stories(store, progress=progress) if article_count(store) else 0
    refresh_story_summaries(store, limit=10**9)
    return count


def open_configured(settings: Settings | None = None, *, rescore: bool = True) -> tuple[Store, Topics]:
    """The store DATABASE_URL names (schema upgraded) and the topics in force, topic scores and stories up to date.

    What the bot's post_init and every CLI command start with.
    """
    config = settings or get_settings()
    topics = load_topics(config.topics_file)
    store = open_store(config.database_url, busy_timeout=config.sqlite_busy_timeout, story_window=config.story_window)
    if rescore:
        try:
            ensure_topic_scores(store, topics)
            ensure_stories(store)
        except Exception:
            store.close()
            raise
    return store, topics
