"""Upkeep of a real store: topic scores follow a changed topics file, stale analyses are redone."""

from __future__ import annotations

from pathlib import Path

from bot.ingest.pipeline import store_items
from bot.ingest.read import IncomingArticle
from bot.ingest.upkeep import TOPICS_DIGEST_KEY, ensure_topic_scores, reanalyze, stale_count
from bot.store import Store, articles_for_topic, get_article, get_setting, set_setting
from bot.topics import Topics, load_topics
from tests.bot.helpers import NOW, TRUCE


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
