"""Upkeep of a real store: topic scores follow a changed topics file, stale analyses are redone."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from bot.ingest.upkeep import STORIES_VERSION_KEY, TOPICS_DIGEST_KEY, ensure_stories, ensure_topic_scores, reanalyze, stale_count
from bot.store import Store, articles_for_topic, get_article, get_setting, recent_stories, set_setting
from bot.topics import Topics, load_topics
from tests.bot.helpers import NOW, OTHER_QUAKE, QUAKE_A, QUAKE_B, TRUCE


def test_topic_scores_follow_a_changed_topics_file(store: Store, topics: Topics, tmp_path: Path) -> None:
    store_items(store, topics, [IncomingArticle("Truce agreed around Manbij", TRUCE, "truce")], now=NOW)
    set_setting(store, TOPICS_DIGEST_KEY, topics.digest)
    assert ensure_topic_scores(store, topics) == 0
    user = tmp_path / "topics.toml"
    user.write_text('[jarablus]\ntitle = "Jarablus"\nkeywords = ["Jarablus"]\n', encoding="utf-8")
    changed = load_topics(user)

    assert ensure_topic_scores(store, changed) == 1

    assert [a.title for a in articles_for_topic(store, "jarablus")] == ["Truce agreed around Manbij"]
    assert get_setting(store, TOPICS_DIGEST_KEY) == changed.digest


def test_reanalyze_redoes_stale_analyses(store: Store, topics: Topics) -> None:
    report = store_items(store, topics, [IncomingArticle("Truce agreed around Manbij", TRUCE, "truce")], now=NOW)
    assert stale_count(store) == 0
    assert reanalyze(store, topics) == 0

    assert reanalyze(store, topics, everything=True) == 1

    article = get_article(store, report.added_ids[0])
    assert article.summary[0].startswith("Turkish-backed fighters")
    assert article.topics["syria"] > 0


def test_stories_are_regrouped_when_the_grouping_rules_change(store: Store, topics: Topics) -> None:
    report = store_items(
        store,
        topics,
        [
            IncomingArticle("Quake topples Velmora clock tower", QUAKE_A, "a", source="Arlen Courier", published_at=NOW),
            IncomingArticle("Quake cracks Tarsk harbour wall", OTHER_QUAKE, "c", source="Arlen Courier", published_at=NOW),
            IncomingArticle("Velmora digs out after 6.1 quake", QUAKE_B, "b", source="Northern Ledger", published_at=NOW),
        ],
        now=NOW,
    )
    before = [get_article(store, article_id).story_id for article_id in report.added_ids]
    set_setting(store, STORIES_VERSION_KEY, "older rules")

    assert ensure_stories(store) == 2
    assert ensure_stories(store) == 0

    after = [get_article(store, article_id).story_id for article_id in report.added_ids]
    assert after[0] == after[2] != after[1]
    assert before[0] == before[2] != before[1]
    (velmora,) = [story for story in recent_stories(store, NOW - timedelta(days=1)) if story.article_count == 2]
    assert velmora.outlet_count == 2 and len(velmora.summary) >= 2
