"""Ingest throughput: articles per second and peak memory, analysis alone against ingest into SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.ingest_throughput [--articles 2000]

Corpus articles (PolNeAR, bbc-100, human-refs from ../shared/corpus) are reused
with new ids to reach the count; the copies of one corpus article differ only
in a first line, so they also exercise near-duplicate story linking. Each phase
runs in a process of its own so its peak memory (max RSS) is its own. Target:
storage and indexing add less than 30% to analysis alone on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime

PHASES = ("analysis", "prepare", "sqlite", "postgres")
LABELS = {
    "analysis": "analysis alone (summaries.analyze)",
    "prepare": "analysis + topics + signature",
    "sqlite": "ingest into SQLite (FTS5)",
    "postgres": "ingest into PostgreSQL (tsvector)",
}
POSTGRES_URL = os.environ.get("NEWSBRIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _incoming(count: int) -> list:
    from benchmarks.corpus import news_articles_with_new_ids
    from bot.sources import IncomingArticle

    return [
        IncomingArticle(title=title, text=text, origin=identifier, url=f"https://corpus.example/{identifier.replace('#', '/')}")
        for identifier, title, text in news_articles_with_new_ids(count)
    ]


def run_phase(phase: str, count: int) -> dict[str, float]:
    """Run one phase in this process and return its figures."""
    from bot.ingestion import prepare, store_items
    from bot.topics import load_topics
    from summaries.analysis import analyze
    from summaries.article import Article
    from summaries.language import detect_language

    items = _incoming(count)
    topics = load_topics()
    now = datetime.now(UTC)
    schema = None
    started = time.perf_counter()
    if phase == "analysis":
        for item in items:
            analyze(Article(item.text, item.title, detect_language(item.text)), 3, "news")
    elif phase == "prepare":
        for item in items:
            prepare(item, topics, now=now)
    else:
        from bot.store import open_store

        if phase == "sqlite":
            folder = tempfile.mkdtemp(prefix="nb-bench-")
            store = open_store(f"sqlite:///{folder}/bench.sqlite3")
        else:
            import psycopg

            schema = f"nbbench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute(f'CREATE SCHEMA "{schema}"')
            store = open_store(POSTGRES_URL, schema=schema)
        started = time.perf_counter()
        report = store_items(store, topics, items, now=now)
        # The corpus holds a few articles twice (the same story in two sets): those count as duplicates.
        assert not report.failed and report.added + report.duplicates == count, report.line()
        store.close()
    elapsed = time.perf_counter() - started
    if schema:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "rate": count / elapsed, "peak_mb": peak}


def _postgres_reachable() -> str | None:
    try:
        import psycopg

        psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3).close()
    except Exception as error:  # any failure to connect means: skip that row, saying why
        return str(error).strip().splitlines()[0]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.articles)))
        return
    from benchmarks.corpus import CORPUS, require

    require(CORPUS)
    results: dict[str, dict[str, float] | str] = {}
    unreachable = _postgres_reachable()
    for phase in PHASES:
        if phase == "postgres" and unreachable:
            results[phase] = f"skipped: PostgreSQL unreachable ({unreachable})"
            continue
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.ingest_throughput", "--phase", phase, "--articles", str(args.articles)],
            check=True, capture_output=True, text=True,
        ).stdout
        results[phase] = json.loads(output.strip().splitlines()[-1])
    base = results["analysis"]
    assert isinstance(base, dict)
    print(f"Ingest throughput, {args.articles} corpus articles (one process per row)\n")
    print(f"{'phase':<38} {'seconds':>8} {'articles/s':>11} {'peak RSS MB':>12} {'vs analysis':>12}")
    for phase in PHASES:
        row = results[phase]
        if isinstance(row, str):
            print(f"{LABELS[phase]:<38} {row}")
            continue
        extra = row["seconds"] / base["seconds"] - 1
        print(f"{LABELS[phase]:<38} {row['seconds']:>8.1f} {row['rate']:>11.1f} {row['peak_mb']:>12.0f} {extra:>+11.0%}")
    sqlite = results["sqlite"]
    if isinstance(sqlite, dict):
        extra = sqlite["seconds"] / base["seconds"] - 1
        verdict = "met" if extra < 0.30 else "NOT met"
        print(f"\ntarget: storage + indexing add < 30% on SQLite -> {extra:+.0%}, {verdict}")


if __name__ == "__main__":
    main()
