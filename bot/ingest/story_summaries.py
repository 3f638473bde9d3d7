"""Story summaries made again from all their reports when articles joined them (at ingest, so a command only reads)."""

from __future__ import annotations

from typing import Any

from bot.store import Store, StoryReport, save_story_summary, stale_story_ids, story_reports, story_size
from summaries.story_summary import StoryArticle, StorySentence, summarize_story

# Sentences kept of a story's summary: the briefing shows three, "what's new" picks from all of them.
STORY_SUMMARY_SENTENCES = 6


def refresh_story_summaries(store: Store, *, limit: int = 1000) -> int:
    """Make the summary of every story an article joined since its last one; returns how many were made."""
    made = 0
    while made < limit:
        stale = stale_story_ids(store, limit=min(100, limit - made))
        if not stale:
            break
        for story_id in stale:
            size = story_size(store, story_id)
            reports = story_reports(store, story_id)
            save_story_summary(store, story_id, story_summary(reports), seen_count=size)
            made += 1
    return made


def story_summary(reports: list[StoryReport]) -> list[dict[str, Any]]:
    """The stored form of a story's summary: each sentence with its article, outlet and time."""
    if len(reports) < 2:
        # One own report (the rest copies of it): its own summary is the story's, as a briefing shows it.
        return []
    articles = [
        StoryArticle(report.id, report.title, report.text, report.outlet, report.published_at, report.summary)
        for report in reports
    ]
    return [_stored(sentence) for sentence in summarize_story(articles, STORY_SUMMARY_SENTENCES)]


def _stored(sentence: StorySentence) -> dict[str, Any]:
    return {
        "text": sentence.text,
        "article_id": sentence.article_id,
        "outlet": sentence.outlet,
        "published_at": sentence.published_at.isoformat(),
    }
