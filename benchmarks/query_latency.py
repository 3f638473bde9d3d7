"""Query latency of a topic briefing's selection with 100,000 stored articles, on SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.query_latency [--articles 100000] [--queries 300]

The volume is corpus articles (../shared/corpus) reused with new ids, loaded by a
bulk loader that skips re-analysis: topic scores are computed once per corpus
article, the summary is its first three sentences, and bodies are cut to 1,500
characters so the load takes minutes, not an hour (the selection reads only the
chosen rows). Publication times spread over a year. Measured: the store calls a
briefing makes, `articles_for_topic` for a 24-hour and a 7-day window (50
articles with summaries, quotes and topics loaded), and `search` for two words
over everything and over the last 7 days.
Target: p95 <= 50 ms for the topic selection.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

POSTGRES_URL = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2025, 6, 1, tzinfo=UTC)
BODY_CHARACTERS = 1500
BATCH = 5000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def bulk_load(store: object, count: int) -> list[str]:
    """Insert `count` articles straight into the tables; returns the topics that have articles."""
    from benchmarks.corpus import news_articles
    from bot.store.models import AnalysisRecord, ArticleRecord, StoryRecord, TopicScore
    from bot.topics import load_topics

    topics = load_topics()
    base = []
    for identifier, title, text in news_articles():
        body = text[:BODY_CHARACTERS]
        summary = [{"text": sentence, "start": 0, "end": 0, "paragraph": 0, "index": index}
                   for index, sentence in enumerate(_SENTENCE_END.split(body)[:3])]
        base.append((identifier, title or body.split("\n")[0][:120], body, summary, topics.scores(title, text)))
    rng = random.Random(7)
    used: set[str] = set()
    engine = store.engine  # type: ignore[attr-defined]
    for start in range(0, count, BATCH):
        stories, articles, analyses, scores = [], [], [], []
        for number in range(start + 1, min(count, start + BATCH) + 1):
            identifier, title, body, summary, topic_scores = base[number % len(base)]
            published = NOW - timedelta(seconds=rng.uniform(0, 365 * 86400))
            stories.append({"id": number, "title": title, "first_published_at": published, "last_published_at": published, "article_count": 1})
            articles.append({
                "id": number, "title": title, "source": identifier.split("/")[0], "author": "", "url": f"https://corpus.example/{number}",
                "canonical_url": f"https://corpus.example/{number}", "published_at": published, "published_guessed": False,
                "fetched_at": published, "language": "english", "text": body, "cleaned_text": body,
                "content_hash": f"{number:064d}", "signature": None, "story_id": number, "origin": identifier,
            })
            analyses.append({"article_id": number, "version": "bulk", "algorithm": "lead", "summary": summary, "removed": [],
                             "sentence_count": 3, "analysed_at": published})
            for topic, score in topic_scores.items():
                scores.append({"article_id": number, "topic": topic, "score": score, "published_at": published})
                used.add(topic)
        with engine.begin() as connection:
            connection.execute(insert(StoryRecord.__table__), stories)
            connection.execute(insert(ArticleRecord.__table__), articles)
            connection.execute(insert(AnalysisRecord.__table__), analyses)
            if scores:
                connection.execute(insert(TopicScore.__table__), scores)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("stories", "articles"):
                connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
            connection.exec_driver_sql("ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    return sorted(used)


def measure(call: Callable[[], list], queries: int) -> tuple[float, float, float, float]:
    """(p50 ms, p95 ms, max ms, mean rows) over `queries` calls after a few warm-up calls."""
    for _ in range(5):
        call()
    times, rows = [], []
    for _ in range(queries):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
        rows.append(len(result))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], times[-1], statistics.mean(rows)


def run(backend: str, store: object, count: int, queries: int) -> list[tuple[str, str, float, float, float, float, float]]:
    from bot.store import articles_for_topic, search

    started = time.perf_counter()
    topics = bulk_load(store, count)
    load_seconds = time.perf_counter() - started
    rng = random.Random(11)
    words = ["minister", "election", "economy", "court", "police", "campaign", "senate", "budget", "president", "health"]

    def topic_window(hours: int) -> Callable[[], list]:
        def call() -> list:
            until = NOW - timedelta(days=rng.uniform(0, 300))
            return articles_for_topic(store, rng.choice(topics), since=until - timedelta(hours=hours), until=until, limit=50)  # type: ignore[arg-type]
        return call

    def words_search() -> list:
        return search(store, " ".join(rng.sample(words, 2)), limit=20, now=NOW)  # type: ignore[arg-type]

    def words_search_week() -> list:
        return search(store, " ".join(rng.sample(words, 2)), since=NOW - timedelta(days=7), limit=20, now=NOW)  # type: ignore[arg-type]

    results = []
    for label, call in (("topic, last 24 h", topic_window(24)), ("topic, last 7 days", topic_window(24 * 7)),
                        ("search, 2 words", words_search), ("search, last 7 days", words_search_week)):
        p50, p95, worst, rows = measure(call, queries)
        results.append((backend, label, p50, p95, worst, rows, load_seconds))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    from benchmarks.corpus import CORPUS, require
    from bot.store import open_store

    require(CORPUS)
    rows = []
    folder = tempfile.mkdtemp(prefix="nb-latency-")
    sqlite = open_store(f"sqlite:///{folder}/latency.sqlite3")
    rows += run("SQLite", sqlite, args.articles, args.queries)
    sqlite.close()
    skipped = ""
    if not args.skip_postgres:
        import psycopg

        schema = f"nblatency_{uuid.uuid4().hex[:8]}"
        try:
            connection = psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True, connect_timeout=3)
        except psycopg.Error as error:
            skipped = f"PostgreSQL skipped: unreachable at {POSTGRES_URL} ({str(error).strip().splitlines()[0]})"
        else:
            with connection:
                connection.execute(f'CREATE SCHEMA "{schema}"')
                try:
                    postgres = open_store(POSTGRES_URL, schema=schema)
                    rows += run("PostgreSQL", postgres, args.articles, args.queries)
                    postgres.close()
                finally:
                    connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(f"Query latency with {args.articles:,} stored articles, {args.queries} queries each\n")
    print(f"{'backend':<11} {'query':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>6} {'load s':>7}")
    for backend, label, p50, p95, worst, mean_rows, load in rows:
        print(f"{backend:<11} {label:<20} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {mean_rows:>6.1f} {load:>7.0f}")
    if skipped:
        print(skipped)
    selection = [p95 for _, label, _, p95, _, _, _ in rows if label.startswith("topic")]
    verdict = "met" if selection and max(selection) <= 50 else "NOT met"
    print(f"\ntarget: topic selection p95 <= 50 ms -> worst p95 {max(selection):.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
