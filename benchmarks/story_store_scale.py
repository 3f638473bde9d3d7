"""The store's story matching as the store grows: index rows read, stories scored and time per new article.

Run: python -m benchmarks.story_store_scale [--sizes 10000,100000,1000000] [--articles 200] [--postgres | --only-postgres]

A synthetic store stands for N stored articles: N/3 stories (three articles each), each with a
30-term centroid (12 of them indexed), their last articles spread over 90 days before now; and
the document frequencies of N articles. The stories are written straight into the tables (the
look-up reads only stories and story_terms), so a million-article store is built in minutes,
not the hours an ingest would take, then analysed as a grown store is. Then `--articles` new reports, each of a story of the last
day, go through the look-up alone (EventMatcher.find, as add_articles runs it) and through
add_article (the whole insert). Flat cost means the same rows read and the same milliseconds
per insert at every size. Each size is measured on the same new articles.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import insert

from bot.ingest.prepare import prepare
from bot.ingest.read import IncomingArticle
from bot.store import Store, add_article, open_store, transaction
from bot.store.models import StoryRecord, StoryTerm, TermCount
from bot.store.stories import DOCUMENTS, EventMatcher
from bot.topics import load_topics

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
POSTGRES_URL = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_COMMON = [f"word{number}" for number in range(3000)]
_RARE = [f"rare{number}" for number in range(200_000)]
CENTROID = 30
INDEXED = 12


def story_terms(story: int, rng: random.Random) -> dict[str, float]:
    """A synthetic centroid, heaviest first: the story's names and number, rarer words, then common words.

    As index_terms would pick them, the indexed ones are the heaviest by weight x idf: names and rare words.
    """
    terms = {f"name{story}a_name{story}b": 0.2, f"place{story}": 0.15, str(story % 997 + 3): 0.1}
    for word in rng.sample(_RARE, INDEXED - len(terms)):
        terms[word] = 0.04
    for word in rng.sample(_COMMON, CENTROID - len(terms)):
        terms[word] = 0.02
    return terms


def fill(store: Store, articles: int, seed: int = 11) -> int:
    """Stories for `articles` stored articles; returns the number of stories."""
    rng = random.Random(seed)
    count = articles // 3
    batch_stories: list[dict[str, object]] = []
    batch_terms: list[dict[str, object]] = []

    def flush() -> None:
        with transaction(store) as session:
            if batch_stories:
                session.execute(insert(StoryRecord.__table__), batch_stories)
            if batch_terms:
                session.execute(insert(StoryTerm.__table__), batch_terms)
        batch_stories.clear()
        batch_terms.clear()

    for story in range(1, count + 1):
        last = NOW - timedelta(days=90) * (1 - story / count)
        centroid = story_terms(story, rng)
        batch_stories.append(
            {"id": story, "title": f"Story {story}", "first_published_at": last - timedelta(hours=6), "last_published_at": last,
             "article_count": 3, "outlet_count": 2, "summary": [], "summary_stale": False, "centroid": centroid}
        )
        for term in list(centroid)[:INDEXED]:
            batch_terms.append({"story_id": story, "term": term, "last_published_at": last})
        if len(batch_terms) >= 60_000:
            flush()
    flush()
    with transaction(store) as session:
        rows = [{"term": DOCUMENTS, "articles": articles}] + [
            {"term": word, "articles": max(articles // 40, 1)} for word in _COMMON
        ]
        session.execute(insert(TermCount.__table__), rows)
    # A store that grew to this size has had its tables analysed (PostgreSQL's autovacuum does it after
    # large changes); a bulk load has not, and without statistics the planner scans whole tables.
    with store.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    return count


def new_reports(stories: int, count: int, seed: int = 5) -> list[IncomingArticle]:
    """New reports of stories of the last day (the newest stories of the synthetic store)."""
    rng = random.Random(seed)
    reports = []
    for number in range(count):
        story = stories - rng.randrange(max(stories // 90, 1))
        common = " ".join(rng.choice(_COMMON) for _ in range(60))
        title = f"Name{story}a Name{story}b in Place{story}"
        text = f"Name{story}a Name{story}b arrived in Place{story} on {story % 997 + 3} {common}. Officials in Place{story} said more."
        reports.append(IncomingArticle(title, text, f"report {number}", source=f"Outlet {number % 7}", published_at=NOW))
    return reports


def measure(url: str, size: int, reports: Sequence[IncomingArticle], schema: str | None = None) -> dict[str, float]:
    store = open_store(url, schema=schema)
    try:
        stories = fill(store, size)
        topics = load_topics()
        prepared = [prepare(report, topics, now=NOW) for report in new_reports(stories, len(reports))]
        rows: list[int] = []
        scored: list[int] = []
        lookups: list[float] = []
        for article in prepared:
            with transaction(store) as session:
                started = time.perf_counter()
                matcher = EventMatcher.open(session.connection(), [article.story_terms])
                matcher.find(article.story_terms, article.published)
                lookups.append(time.perf_counter() - started)
                rows.append(matcher.postings_read)
                scored.append(matcher.candidates_scored)
                session.rollback()
        inserts: list[float] = []
        joined = 0
        for article in prepared:
            started = time.perf_counter()
            added = add_article(store, article)
            inserts.append(time.perf_counter() - started)
            joined += added.story_id is not None and added.story_id <= stories
        return {
            "stories": stories, "rows": statistics.mean(rows), "rows_max": max(rows), "scored": statistics.mean(scored),
            "lookup_ms": statistics.median(lookups) * 1000, "insert_ms": statistics.median(inserts) * 1000,
            "joined": joined / len(prepared),
        }
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="stored articles, comma-separated")
    parser.add_argument("--articles", type=int, default=200, help="new reports inserted at each size (default 200)")
    parser.add_argument("--postgres", action="store_true", help="also on the PostgreSQL server of NEWSBRIEF_TEST_POSTGRES_URL")
    parser.add_argument("--only-postgres", action="store_true", help="only on PostgreSQL")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    reports = [IncomingArticle("", "", "") for _ in range(args.articles)]
    backends = ["postgresql"] if args.only_postgres else ["sqlite"] + (["postgresql"] if args.postgres else [])
    table = Table(title=f"Story look-up and insert as the store grows ({args.articles} new reports at each size)")
    for column in ("backend", "stored articles", "stories", "index rows read", "max", "stories scored",
                   "look-up ms (median)", "add_article ms (median)", "joined a stored story"):
        table.add_column(column, justify="right")
    for backend in backends:
        for size in sizes:
            with tempfile.TemporaryDirectory() as folder:
                if backend == "sqlite":
                    figures = measure(f"sqlite:///{Path(folder) / 'scale.sqlite3'}", size, reports)
                else:
                    figures = _on_postgres(size, reports)
            table.add_row(
                backend, f"{size:,}", f"{figures['stories']:,.0f}", f"{figures['rows']:.1f}", f"{figures['rows_max']:.0f}",
                f"{figures['scored']:.1f}", f"{figures['lookup_ms']:.2f}", f"{figures['insert_ms']:.1f}", f"{figures['joined']:.0%}",
            )
    Console(width=160).print(table)


def _on_postgres(size: int, reports: Sequence[IncomingArticle]) -> dict[str, float]:
    import uuid

    import psycopg

    schema = f"nbscale_{uuid.uuid4().hex[:8]}"
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
        try:
            return measure(POSTGRES_URL, size, reports, schema=schema)
        finally:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
