"""Query latency of a topic briefing's selection with 100,000 stored articles, on SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.query_latency [--articles 100000] [--queries 300]

The volume is corpus articles (../shared/corpus) reused with new ids, loaded by a
bulk loader that skips re-analysis: topic scores are computed once per corpus
article, the summary is its first three sentences, and bodies are cut to 1,500
characters so the load takes minutes, not an hour (the selection reads only the
chosen rows). Publication times spread over a year and follow the order articles
are stored in, as they do when news is ingested as it comes (--shuffled stores
them in random order, as an archive ingested after newer news would be).
Measured: the store calls a briefing makes, `articles_for_topic` for a 24-hour
and a 7-day window (50 articles with summaries, quotes and topics loaded), and
`search` (20 results) for two words, a common word (in 26-65% of the articles)
and a rare one (0.1-0.3%), over everything and over the last 7 days or 24 hours,
and in the query language: a quoted phrase of common words ("prime minister",
"last year") and a common word without another ("said -year").
Each search row is measured twice in one run, with the same queries and rounds:
`search` as it is, and the baseline `rank_every_match` (the search before it
ranked only the newest matches: every match ranked before LIMIT).
Targets: p95 <= 50 ms for the topic selection, p95 <= 20 ms for every search row.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Float, Integer, bindparam, func, insert, literal_column, select, text
from sqlalchemy.orm import Session

from bot.query import Query

POSTGRES_URL = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NOW = datetime(2025, 6, 1, tzinfo=UTC)
BODY_CHARACTERS = 1500
BATCH = 5000
# The tables bulk_load fills.
LOADED = ("stories", "articles", "analyses", "topic_scores", "story_bands")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def bulk_load(
    store: object, count: int, *, shuffled: bool = False, until: datetime = NOW, bands: bool = False
) -> list[str]:
    """Insert `count` articles straight into the tables; returns the topics that have articles.

    Publication times spread over the year before `until` and rise with the id (as articles
    ingested as they come), unless `shuffled`. With `bands`, each article gets its corpus
    article's near-copy signature and story bands, as ingest stores them.
    """
    from benchmarks.corpus import news_articles
    from bot.signatures import signature
    from bot.store.adding import insert_bands
    from bot.store.models import AnalysisRecord, ArticleRecord, StoryRecord, TopicScore
    from bot.topics import load_topics

    topics = load_topics()
    base = []
    for identifier, title, article_text in news_articles():
        body = article_text[:BODY_CHARACTERS]
        summary = [{"text": sentence, "start": 0, "end": 0, "paragraph": 0, "index": index}
                   for index, sentence in enumerate(_SENTENCE_END.split(body)[:3])]
        base.append((identifier, title or body.split("\n")[0][:120], body, summary, topics.scores(title, article_text)))
    signatures = [signature(article_text) if bands else None for _, _, article_text in news_articles()]
    rng = random.Random(7)
    times = [until - timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(count)]
    if not shuffled:
        times.sort()
    used: set[str] = set()
    engine = store.engine  # type: ignore[attr-defined]
    for start in range(0, count, BATCH):
        stories, articles, analyses, scores, band_rows = [], [], [], [], []
        for number in range(start + 1, min(count, start + BATCH) + 1):
            identifier, title, body, summary, topic_scores = base[number % len(base)]
            published = times[number - 1]
            made = signatures[number % len(base)]
            if made is not None:
                band_rows.extend((band, number, published) for band in set(made.band_keys))
            stories.append({"id": number, "title": title, "first_published_at": published, "last_published_at": published, "article_count": 1})
            articles.append({
                "id": number, "title": title, "source": identifier.split("/")[0], "author": "", "url": f"https://corpus.example/{number}",
                "canonical_url": f"https://corpus.example/{number}", "published_at": published, "published_guessed": False,
                "fetched_at": published, "language": "english", "text": body, "cleaned_text": body,
                "content_hash": f"{number:064d}", "signature": made.to_bytes() if made else None, "story_id": number,
                "origin": identifier,
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
            insert_bands(connection, band_rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("stories", "articles"):
                connection.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        # As autovacuum would after a load: index-only reads need the visibility map. Only the tables
        # loaded: statistics saying the story-term tables are empty would keep the planner scanning
        # them whole as an ingest fills them (autovacuum re-analyses a table that grew).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM ANALYZE {', '.join(LOADED)}")
    else:
        with engine.begin() as connection:
            for table in LOADED:
                connection.exec_driver_sql(f"ANALYZE {table}")
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


def rank_every_match(store: object, query: str, since: datetime | None = None, limit: int = 20, *, now: datetime) -> list:
    """The baseline: search as it was before it ranked only the newest matches (every match ranked before LIMIT)."""
    from bot.query import parse_query
    from bot.store.articles import SEARCH_HALF_LIFE, _load
    from bot.store.engine import transaction

    terms = parse_query(query)
    with transaction(store, write=False) as session:  # type: ignore[arg-type]
        ranked = _old_full_text(session, terms, since, limit * 5, any_term=False)
        if not ranked and len(terms.words) > 1:
            ranked = _old_full_text(session, terms, since, limit * 5, any_term=True)
        if not ranked:
            return []
        best = max(relevance for _, relevance, _ in ranked) or 1.0
        scored = []
        for article_id, relevance, published in ranked:
            recency = 0.5 ** (max((now - published).total_seconds(), 0.0) / SEARCH_HALF_LIFE.total_seconds())
            scored.append((article_id, round(relevance / best * (0.5 + 0.5 * recency), 6)))
        scored.sort(key=lambda pair: (-pair[1], -pair[0]))
        return _load(session, scored[:limit])


def _old_full_text(
    session: Session, terms: Query, since: datetime | None, limit: int, *, any_term: bool
) -> list[tuple[int, float, datetime]]:
    """(article id, relevance > 0, published) of the best full-text matches: every match ranked, then LIMIT."""
    from bot.store.models import ArticleRecord, UTCDateTime
    from bot.store.search import fts5_match, postgres_match

    since_clause = ArticleRecord.published_at >= since if since is not None else None
    if session.bind.dialect.name == "sqlite":  # type: ignore[union-attr]
        sql = (
            "SELECT articles.id AS id, bm25(articles_fts, 4.0, 1.0) AS rank, articles.published_at AS published_at"
            " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH :match"
            + (" AND articles.published_at >= :since" if since is not None else "")
            + " ORDER BY rank LIMIT :limit"
        )
        statement = text(sql).bindparams(bindparam("match", fts5_match(terms, any_term)), bindparam("limit", limit))
        if since is not None:
            statement = statement.bindparams(bindparam("since", since, type_=UTCDateTime()))
        statement = statement.columns(id=Integer(), rank=Float(), published_at=UTCDateTime())
        # bm25() is negative, more negative for better matches.
        return [(row.id, -row.rank, row.published_at) for row in session.execute(statement)]
    tsquery = postgres_match(terms, any_term)
    vector = literal_column("articles.search_vector")
    rank = func.ts_rank_cd(vector, tsquery, 1)
    query = (
        select(ArticleRecord.id, rank.label("rank"), ArticleRecord.published_at)
        .where(vector.op("@@")(tsquery))
        .order_by(rank.desc(), ArticleRecord.id.desc())
        .limit(limit)
    )
    if since_clause is not None:
        query = query.where(since_clause)
    return [(row.id, max(float(row.rank), 1e-9), row.published_at) for row in session.execute(query)]


Row = tuple[str, str, float, float, float, float, float]


def run(backend: str, store: object, count: int, queries: int, searches: int, shuffled: bool) -> list[Row]:
    from bot.store import articles_for_topic, search

    started = time.perf_counter()
    topics = bulk_load(store, count, shuffled=shuffled)
    load_seconds = time.perf_counter() - started

    def topic_window(hours: int) -> Callable[[], list]:
        rng = random.Random(11)

        def call() -> list:
            until = NOW - timedelta(days=rng.uniform(0, 300))
            return articles_for_topic(store, rng.choice(topics), since=until - timedelta(hours=hours), until=until, limit=50)  # type: ignore[arg-type]
        return call

    def searching(how: Callable[..., list], words: list[str], picked: int, hours: int | None) -> Callable[[], list]:
        rng = random.Random(13)  # the same queries for search and its baseline

        def call() -> list:
            since = NOW - timedelta(hours=hours) if hours else None
            return how(store, " ".join(rng.sample(words, picked)), since=since, limit=20, now=NOW)
        return call

    results = []
    for label, call in (("topic, last 24 h", topic_window(24)), ("topic, last 7 days", topic_window(24 * 7))):
        p50, p95, worst, rows = measure(call, queries)
        results.append((backend, label, p50, p95, worst, rows, load_seconds))
    for label, words, picked, hours in SEARCHES:
        for how, name in ((search, "search"), (rank_every_match, "baseline")):
            p50, p95, worst, rows = measure(searching(how, words, picked, hours), searches)
            results.append((backend, f"{name}: {label}", p50, p95, worst, rows, load_seconds))
    return results


TWO_WORDS = ["minister", "election", "economy", "court", "police", "campaign", "senate", "budget", "president", "health"]
COMMON = ["said", "year", "people", "new", "week"]
RARE = ["aleppo", "vaccine", "satellite", "whale", "opera", "chess", "earthquake", "kremlin"]
# Quoted phrases of common words, and a common word without another (the query language, bot/query.py).
PHRASES = ['"prime minister"', '"last year"', '"last week"', '"united states"', '"police said"', '"told reporters"']
EXCLUDING = ["said -year", "people -said", "new -week", "year -people", "week -new"]
# (label, words, how many picked a query, window in hours or None for everything)
SEARCHES = (
    ("2 words", TWO_WORDS, 2, None),
    ("2 words, 7 days", TWO_WORDS, 2, 24 * 7),
    ("common word", COMMON, 1, None),
    ("common word, 24 h", COMMON, 1, 24),
    ("rare word", RARE, 1, None),
    ("rare word, 7 days", RARE, 1, 24 * 7),
    ("phrase", PHRASES, 1, None),
    ("phrase, 7 days", PHRASES, 1, 24 * 7),
    ("word -word", EXCLUDING, 1, None),
    ("word -word, 24 h", EXCLUDING, 1, 24),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--searches", type=int, default=100, help="calls of each search row (the baseline is slow)")
    parser.add_argument("--shuffled", action="store_true", help="publication times in random order of storage")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    from benchmarks.corpus import CORPUS, require
    from bot.store import open_store

    require(CORPUS)
    rows = []
    folder = tempfile.mkdtemp(prefix="nb-latency-")
    try:
        sqlite = open_store(f"sqlite:///{folder}/latency.sqlite3")
        rows += run("SQLite", sqlite, args.articles, args.queries, args.searches, args.shuffled)
        sqlite.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
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
                    rows += run("PostgreSQL", postgres, args.articles, args.queries, args.searches, args.shuffled)
                    postgres.close()
                finally:
                    connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    order = "in random order" if args.shuffled else "in publication order"
    print(f"Query latency with {args.articles:,} stored articles ({order}), {args.queries} topic and {args.searches} search calls a row\n")
    print(f"{'backend':<11} {'query':<30} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>6} {'load s':>7}")
    for backend, label, p50, p95, worst, mean_rows, load in rows:
        print(f"{backend:<11} {label:<30} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f} {mean_rows:>6.1f} {load:>7.0f}")
    if skipped:
        print(skipped)
    selection = [p95 for _, label, _, p95, _, _, _ in rows if label.startswith("topic")]
    verdict = "met" if selection and max(selection) <= 50 else "NOT met"
    print(f"\ntarget: topic selection p95 <= 50 ms -> worst p95 {max(selection):.1f} ms, {verdict}")
    searched = [p95 for _, label, _, p95, _, _, _ in rows if label.startswith("search")]
    verdict = "met" if searched and max(searched) <= 20 else "NOT met"
    print(f"target: search p95 <= 20 ms -> worst p95 {max(searched):.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
